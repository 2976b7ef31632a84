"""Tool, category and search pages, and the tool and category indexes."""

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.catalog.selectors import (
    SEARCH_MAX_LENGTH,
    category_get,
    category_list_with_counts,
    tool_get_published,
    tool_list_published,
    tool_search,
)
from verdicts.compare.selectors import (
    comparison_list_for_category,
    comparison_list_for_tool,
    comparison_search,
)
from verdicts.panel.selectors import panel_shares, review_list_current
from verdicts.votes.selectors import community_shares

TOOLS_PER_PAGE = 50
CATEGORIES_PER_PAGE = 50
LIST_LIMIT = 20


def tool_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(tool_list_published(), TOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "catalog/tool_index.html", {"page": page})


def category_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(category_list_with_counts(), CATEGORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/category_index.html", {"page": page})


def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tool = tool_get_published(slug=slug)
    if tool is None:
        raise Http404("No such tool.")
    prefetch_related_objects([tool], "plans__history")
    reviews = review_list_current(tool_ids=[tool.pk])
    context = {
        "tool": tool,
        "reviews": reviews,
        "panel": panel_shares(reviews=reviews, tool_ids=[tool.pk])[tool.pk],
        "community": community_shares(tool_ids=[tool.pk])[tool.pk],
        "comparisons": comparison_list_for_tool(tool=tool)[:LIST_LIMIT],
    }
    return render(request, "catalog/tool_detail.html", context)


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = category_get(slug=slug)
    if category is None:
        raise Http404("No such category.")
    page = Paginator(tool_list_published(category=category), TOOLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    tools = list(page.object_list)
    if not tools:
        raise Http404("No published tools in this category.")
    tool_ids = [tool.pk for tool in tools]
    shares = panel_shares(reviews=review_list_current(tool_ids=tool_ids), tool_ids=tool_ids)
    context = {
        "category": category,
        "page": page,
        "rows": [(tool, shares[tool.pk]) for tool in tools],
        "comparisons": comparison_list_for_category(category=category)[:LIST_LIMIT],
    }
    return render(request, "catalog/category_detail.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    tools = tool_search(query=query)
    prefetch_related_objects(tools, "plans")
    context = {"query": query, "tools": tools, "comparisons": comparison_search(query=query)}
    return render(request, "catalog/search.html", context)
