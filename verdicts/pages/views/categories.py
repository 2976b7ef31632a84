"""The category index and the category pages."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.catalog.selectors import category_get, category_list_with_counts
from verdicts.pages.read_models.categories import category_page

CATEGORIES_PER_PAGE = 50


def category_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(category_list_with_counts(), CATEGORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "pages/category_index.html", {"page": page})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = category_get(slug=slug)
    if category is None:
        raise Http404("No such category.")
    page = category_page(category=category, number=request.GET.get("page"))
    if page is None:
        raise Http404("No published tools in this category.")
    return render(request, "pages/category_detail.html", {"page": page})
