"""The home page, the comparison index and the comparison pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from verdicts.common.content_versions import CATALOG, comparison_scope, tool_scope
from verdicts.common.page_cache import page_cache_scopes
from verdicts.pages.read_models.comparison_lenses import (
    WEIGHT_FIELD_PREFIX,
    bottom_line,
    lens_weighting,
    order_swap_share,
)
from verdicts.pages.read_models.comparisons import (
    comparison_get_published,
    comparison_list_published,
    comparison_page,
    comparison_reversed_slug,
    home_page,
)
from verdicts.pages.read_models.paging import window_get

COMPARISONS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"page": home_page()})


def comparison_index(request: HttpRequest) -> HttpResponse:
    page = window_get(
        items=comparison_list_published(),
        per_page=COMPARISONS_PER_PAGE,
        number=request.GET.get("page"),
    )
    return render(request, "pages/comparison_index.html", {"page": page})


def comparison_detail(request: HttpRequest, slug: str) -> HttpResponse:
    comparison = comparison_get_published(slug=slug)
    if comparison is None:
        reversed_slug = comparison_reversed_slug(slug=slug)
        if reversed_slug and comparison_get_published(slug=reversed_slug):
            return redirect("pages:comparison", slug=reversed_slug, permanent=True)
        raise Http404("No such comparison.")
    # The page shows the two tools' votes and the pair's picks, nothing of other tools' votes.
    page_cache_scopes(
        request,
        CATALOG,
        tool_scope(comparison.tool_a.slug),
        tool_scope(comparison.tool_b.slug),
        comparison_scope(comparison.slug),
    )
    page = comparison_page(comparison=comparison)
    weights = [
        (key.removeprefix(WEIGHT_FIELD_PREFIX), value)
        for key, values in request.GET.lists()
        if key.startswith(WEIGHT_FIELD_PREFIX)
        for value in values
    ]
    context = {
        "page": page,
        "weighting": lens_weighting(page=page, pairs=weights),
        "order_swap": order_swap_share(page=page),
        "bottom_line": bottom_line(page=page),
    }
    return render(request, "pages/comparison_detail.html", context)
