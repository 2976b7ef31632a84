"""What browsers and crawlers ask for at the root: the icon and robots.txt."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from verdicts.common.urls import absolute_url

# Browsers ask for /favicon.ico at the root whatever the page links, so serve the bytes
# there rather than a redirect; the file ships with the ground floor, beside the SVG mark.
FAVICON = (Path(__file__).parents[2] / "common" / "static" / "common" / "favicon.ico").read_bytes()
ONE_YEAR = 365 * 24 * 60 * 60


@require_safe
@cache_control(public=True, max_age=ONE_YEAR)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FAVICON, content_type="image/vnd.microsoft.icon")


def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /digest/confirm/",
        "Disallow: /digest/unsubscribe/",
        "Disallow: /search",
        "",
        f"Sitemap: {absolute_url(reverse('pages:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
