"""Site-wide views that belong to no app."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Browsers ask for /favicon.ico at the root whatever the page links, so serve the bytes
# there rather than a redirect; the file ships with the app, beside the SVG mark.
FAVICON = (Path(__file__).parents[1] / "common" / "static" / "common" / "favicon.ico").read_bytes()
ONE_YEAR = 365 * 24 * 60 * 60


@require_safe
@cache_control(public=True, max_age=ONE_YEAR)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FAVICON, content_type="image/vnd.microsoft.icon")
