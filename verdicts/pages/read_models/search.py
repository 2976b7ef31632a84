"""The search page: tools and comparisons that match every word."""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.selectors import SEARCH_MAX_LENGTH, tool_search
from verdicts.pages.read_models.comparisons import comparison_search


@dataclass(frozen=True)
class SearchPage:
    query: str
    tools: list[Tool]
    comparisons: list[Comparison]


def search_page(*, query: str) -> SearchPage:
    """Results for the query as typed, cut to the longest query the catalog searches."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    tools = tool_search(query=query)
    prefetch_related_objects(tools, "plans")
    return SearchPage(query=query, tools=tools, comparisons=comparison_search(query=query))
