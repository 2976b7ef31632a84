"""The tool index and the tool pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.catalog.selectors import category_tool_count, tool_get_published, tool_list_published
from verdicts.common.content_versions import CATALOG, tool_scope
from verdicts.common.page_cache import page_cache_scopes
from verdicts.pages.read_models.paging import window_get
from verdicts.pages.read_models.tools import tool_page

TOOLS_PER_PAGE = 50


def tool_index(request: HttpRequest) -> HttpResponse:
    page = window_get(
        items=tool_list_published(),
        per_page=TOOLS_PER_PAGE,
        number=request.GET.get("page"),
        count=category_tool_count(),
    )
    return render(request, "pages/tool_index.html", {"page": page})


def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tool = tool_get_published(slug=slug)
    if tool is None:
        raise Http404("No such tool.")
    # Its figures are its own: other tools' votes leave the stored page current.
    page_cache_scopes(request, CATALOG, tool_scope(tool.slug))
    return render(request, "pages/tool_detail.html", {"page": tool_page(tool=tool)})
