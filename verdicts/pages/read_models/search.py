"""The search page: tools and comparisons that match every word, best first."""

from dataclasses import dataclass

from verdicts.catalog.models import Comparison, Tool
from verdicts.search.selectors import SEARCH_MAX_LENGTH, search_query


@dataclass(frozen=True)
class SearchPage:
    query: str
    tools: list[Tool]
    comparisons: list[Comparison]


def search_page(*, query: str) -> SearchPage:
    """Results for the query as typed, cut to the longest query search reads, in at most three
    queries (tools, their plans, comparisons)."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    results = search_query(text=query)
    return SearchPage(query=query, tools=results.tools, comparisons=results.comparisons)
