"""Compare any two: what two picked names lead to, and the facts-only page of a pair the
panel has not reviewed together."""

from dataclasses import dataclass
from http import HTTPStatus

from django.utils.text import slugify

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.selectors import tool_list_published_by_slugs
from verdicts.catalog.specs import SpecRow
from verdicts.common.share import Share
from verdicts.pages.read_models.comparisons import (
    ScorecardRow,
    ToolSide,
    comparison_list_published,
    scorecard_rows,
)
from verdicts.pages.read_models.specs import specs_for_tools
from verdicts.panel.selectors import panel_shares, review_list_current
from verdicts.votes.selectors import community_shares

# The picker suggests this many tools by name; it takes any published tool's name or slug.
PICKER_TOOLS = 100


def picker_tools() -> list[tuple[str, str]]:
    """The (slug, name) pairs the picker suggests, by name, from the (status, name) index."""
    return list(
        Tool.objects.published().order_by("name").values_list("slug", "name")[:PICKER_TOOLS]
    )


@dataclass(frozen=True)
class PairLookup:
    """What two picked names lead to: the pair's published comparison, the two tools, or an
    error to show with its status."""

    asked: tuple[str, str]
    tools: tuple[Tool, Tool] | None = None
    comparison: Comparison | None = None
    error: str = ""
    status: int = HTTPStatus.OK


def pair_lookup(*, a: str, b: str) -> PairLookup:
    """Find the two published tools named (by slug or name) and their published comparison, in
    at most three queries: the tools, their plans, the comparison."""
    asked = (a.strip()[:120], b.strip()[:120])
    slugs = (slugify(asked[0]), slugify(asked[1]))
    if not all(slugs):
        return PairLookup(
            asked=asked, error="Choose two tools to compare.", status=HTTPStatus.BAD_REQUEST
        )
    if slugs[0] == slugs[1]:
        return PairLookup(
            asked=asked,
            error="Choose two different tools: a tool compared with itself says nothing.",
            status=HTTPStatus.BAD_REQUEST,
        )
    found = {tool.slug: tool for tool in tool_list_published_by_slugs(slugs=slugs)}
    missing = [name for name, slug in zip(asked, slugs, strict=True) if slug not in found]
    if missing:
        return PairLookup(
            asked=asked,
            error=f"No published tool is called “{missing[0]}”.",
            status=HTTPStatus.NOT_FOUND,
        )
    tool_a, tool_b = found[slugs[0]], found[slugs[1]]
    comparison = (
        comparison_list_published()
        .filter(tool_a__in=[tool_a, tool_b], tool_b__in=[tool_a, tool_b])
        .order_by("pk")
        .first()
    )
    return PairLookup(asked=asked, tools=(tool_a, tool_b), comparison=comparison)


@dataclass(frozen=True)
class PairPage:
    """Two published tools the panel has not reviewed as a pair: their facts side by side."""

    side_a: ToolSide
    side_b: ToolSide
    specs: list[SpecRow]
    # Each tool's own current reviews, persona by persona: not a verdict on the pair.
    reviews: list[ScorecardRow]

    @property
    def sides(self) -> tuple[ToolSide, ToolSide]:
        return (self.side_a, self.side_b)


def pair_page(*, tool_a: Tool, tool_b: Tool) -> PairPage:
    """The facts-only page of two tools, in a fixed number of queries (their plans are
    prefetched by pair_lookup)."""
    tool_ids = [tool_a.pk, tool_b.pk]
    reviews = review_list_current(tool_ids=tool_ids)
    panel: dict[int, Share] = panel_shares(reviews=reviews, tool_ids=tool_ids)
    community = community_shares(tool_ids=tool_ids)
    return PairPage(
        side_a=ToolSide(tool=tool_a, panel=panel[tool_a.pk], community=community[tool_a.pk]),
        side_b=ToolSide(tool=tool_b, panel=panel[tool_b.pk], community=community[tool_b.pk]),
        specs=specs_for_tools(tools=[tool_a, tool_b]),
        reviews=scorecard_rows(reviews=reviews, tool_a=tool_a, tool_b=tool_b),
    )
