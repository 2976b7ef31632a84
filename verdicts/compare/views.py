"""Comparison pages, their index and the home page."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from verdicts.catalog.selectors import category_list_with_counts
from verdicts.compare.selectors import (
    comparison_get_published,
    comparison_list_latest,
    comparison_list_published,
    comparison_page,
    comparison_reversed_slug,
)

COMPARISONS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "comparisons": comparison_list_latest(limit=12),
        "categories": category_list_with_counts(),
    }
    return render(request, "compare/home.html", context)


def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(comparison_list_published(), COMPARISONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "compare/index.html", {"page": page})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    comparison = comparison_get_published(slug=slug)
    if comparison is None:
        reversed_slug = comparison_reversed_slug(slug=slug)
        if reversed_slug and comparison_get_published(slug=reversed_slug):
            return redirect("compare:detail", slug=reversed_slug, permanent=True)
        raise Http404("No such comparison.")
    return render(request, "compare/detail.html", {"page": comparison_page(comparison=comparison)})
