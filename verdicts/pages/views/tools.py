"""The tool index and the tool pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.catalog.selectors import tool_get_published
from verdicts.common.content_versions import CATALOG, tool_scope
from verdicts.common.page_cache import page_cache_scopes
from verdicts.pages.read_models.facets import tool_index_page
from verdicts.pages.read_models.tools import tool_page
from verdicts.panel.history.selectors import tool_timeline


def tool_index(request: HttpRequest) -> HttpResponse:
    page = tool_index_page(params=request.GET)
    return render(request, "pages/tool_index.html", {"page": page})


def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tool = tool_get_published(slug=slug)
    if tool is None:
        raise Http404("No such tool.")
    # Its figures are its own: other tools' votes leave the stored page current.
    page_cache_scopes(request, CATALOG, tool_scope(tool.slug))
    context = {"page": tool_page(tool=tool), "timeline": tool_timeline(tool_id=tool.pk)}
    return render(request, "pages/tool_detail.html", context)
