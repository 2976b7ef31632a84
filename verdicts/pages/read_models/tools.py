"""The tool page: the tool, its plans and price history, the panel, the community vote, where
its facts come from, and its nearest alternatives."""

from dataclasses import dataclass

from django.db.models import QuerySet, prefetch_related_objects

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.share import Share
from verdicts.ingest.selectors import ToolProvenance, tool_provenance
from verdicts.pages.read_models.comparisons import comparison_list_for_tool
from verdicts.panel.models import Review
from verdicts.panel.selectors import panel_shares, review_list_current
from verdicts.similar.selectors import Alternative, tool_alternatives
from verdicts.votes.selectors import community_shares

COMPARISONS_SHOWN = 20
ALTERNATIVES_SHOWN = 5


@dataclass(frozen=True)
class ToolPage:
    tool: Tool
    reviews: list[Review]
    panel: Share
    community: Share
    provenance: ToolProvenance
    # Empty until the tool is embedded (`verdicts similar embed`).
    alternatives: list[Alternative]
    # Lazy: the API, which shows no comparisons, pays no query for them.
    comparisons: QuerySet[Comparison]


def tool_page(*, tool: Tool) -> ToolPage:
    """Everything the tool page shows, in a fixed number of queries."""
    prefetch_related_objects([tool], "plans__history")
    reviews = review_list_current(tool_ids=[tool.pk])
    return ToolPage(
        tool=tool,
        reviews=reviews,
        panel=panel_shares(reviews=reviews, tool_ids=[tool.pk])[tool.pk],
        community=community_shares(tool_ids=[tool.pk])[tool.pk],
        provenance=tool_provenance(tool=tool),
        alternatives=tool_alternatives(tool=tool, limit=ALTERNATIVES_SHOWN),
        comparisons=comparison_list_for_tool(tool=tool)[:COMPARISONS_SHOWN],
    )
