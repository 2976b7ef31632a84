"""Share images: each comparison's and tool's og:image, a PNG of its current figures."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from verdicts.catalog.selectors import tool_get_published
from verdicts.pages.read_models.comparisons import comparison_get_published
from verdicts.pages.share.cards import ShareCard, comparison_share_card, tool_share_card
from verdicts.pages.share.store import share_image_get


@require_safe
def comparison_share_png(request: HttpRequest, slug: str) -> HttpResponse:
    comparison = comparison_get_published(slug=slug)
    if comparison is None:
        raise Http404("No such comparison.")
    return _image(request, "compare", slug, comparison_share_card(comparison=comparison))


@require_safe
def tool_share_png(request: HttpRequest, slug: str) -> HttpResponse:
    tool = tool_get_published(slug=slug)
    if tool is None:
        raise Http404("No such tool.")
    return _image(request, "tools", slug, tool_share_card(tool=tool))


def _image(request: HttpRequest, kind: str, slug: str, card: ShareCard) -> HttpResponse:
    # The digest of what is drawn is the ETag: a reader who has this image is answered before
    # anything is read from disk or drawn.
    etag = f'"{card.digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        image = share_image_get(kind=kind, slug=slug, card=card)
        response = HttpResponse(image.png, content_type="image/png")
    response["ETag"] = etag
    # Short, as the badges': a share image follows the figures rather than a moment of them.
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
    )
    return response
