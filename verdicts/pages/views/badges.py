"""Live badges: a tool's or a comparison's current AI panel figure as SVG to embed anywhere."""

import hashlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control

from verdicts.common.content_versions import CATALOG
from verdicts.common.page_cache import page_cache_scopes
from verdicts.pages.read_models.badges import Badge, comparison_badge, tool_badge_get
from verdicts.pages.read_models.comparisons import comparison_get_published


def tool_badge_svg(request: HttpRequest, slug: str) -> HttpResponse:
    return _badge(request, tool_badge_get(slug=slug))


def comparison_badge_svg(request: HttpRequest, slug: str) -> HttpResponse:
    comparison = comparison_get_published(slug=slug)
    badge = comparison_badge(comparison=comparison) if comparison is not None else None
    return _badge(request, badge)


def _badge(request: HttpRequest, badge: Badge | None) -> HttpResponse:
    if badge is None:
        raise Http404("No such badge.")
    # Panel figures only: votes leave a stored badge current, a new review does not.
    page_cache_scopes(request, CATALOG)
    response = render(request, "pages/badges/badge.svg", {"badge": badge}, "image/svg+xml")
    # The page cache answers stored badges with these same headers; this is for the rest.
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
    )
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)
