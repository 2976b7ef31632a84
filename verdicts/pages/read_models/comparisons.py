"""The comparison page, the comparison lists other pages show, and the home page."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects

from verdicts.catalog.models import Category, Comparison, Tool
from verdicts.catalog.selectors import category_list_with_counts
from verdicts.common.share import Share
from verdicts.pages.read_models.badges import PanelFigure, panel_figures
from verdicts.pages.read_models.specs import SpecRow, specs_for_tools
from verdicts.panel.labels import PanelMakers, panel_makers
from verdicts.panel.models import Persona, Review
from verdicts.panel.selectors import (
    HeadToHeadPick,
    head_to_head_picks,
    panel_shares,
    review_list_current,
)
from verdicts.votes.selectors import community_shares


def comparison_get_published(*, slug: str) -> Comparison | None:
    return comparison_list_published().filter(slug=slug).order_by("pk").first()


def comparison_reversed_slug(*, slug: str) -> str | None:
    """The slug with the two tools swapped, when it names a pair ("b-vs-a" for "a-vs-b")."""
    parts = slug.split("-vs-")
    if len(parts) != 2 or not all(parts):
        return None
    return f"{parts[1]}-vs-{parts[0]}"


def _tool_published(side: str) -> Exists:
    return Exists(Tool.objects.published().filter(pk=OuterRef(f"{side}_id")))


def comparison_list_published() -> QuerySet[Comparison]:
    """Published comparisons with both tools, newest first.

    As Comparison.objects.published(), with each tool's status checked row by row: with the
    status in the join, SQLite's planner walked every published tool to find the newest few.
    """
    return (
        Comparison.objects.filter(published_at__isnull=False)
        .filter(_tool_published("tool_a"), _tool_published("tool_b"))
        .with_tools()
    )


def comparison_list_published_after(*, slug: str) -> QuerySet[Comparison] | None:
    """The published comparisons after the one with this slug, newest first: a range of the
    (published_at, id) index, the same cost at any depth, found in one query of its own.
    None when no comparison with that slug was ever published."""
    mark = (
        Comparison.objects.filter(slug=slug, published_at__isnull=False)
        .order_by("pk")
        .values_list("published_at", "pk")
        .first()
    )
    if mark is None:
        return None
    published_at, pk = mark
    return (
        comparison_list_published()
        .filter(published_at__lte=published_at)
        .exclude(published_at=published_at, pk__gte=pk)
    )


def comparison_list_for_tool(*, tool: Tool) -> QuerySet[Comparison]:
    return comparison_list_published().filter(Q(tool_a=tool) | Q(tool_b=tool))


def comparison_list_for_category(*, category: Category) -> QuerySet[Comparison]:
    return comparison_list_published().filter(
        Q(tool_a__category=category) | Q(tool_b__category=category)
    )


@dataclass(frozen=True)
class HomePage:
    """The latest comparisons, each tool's panel figure, and every category with published
    tools."""

    comparisons: list[Comparison]
    categories: QuerySet[Category]
    figures: dict[int, PanelFigure]

    @property
    def cards(self) -> list[tuple[Comparison, list[tuple[Tool, PanelFigure]]]]:
        return [(c, [(tool, self.figures[tool.pk]) for tool in c.tools]) for c in self.comparisons]


def home_page(*, limit: int = 12) -> HomePage:
    """The home page, in four queries: the comparisons, their tools' plans (the entry tiers)
    and panel reviews, the categories."""
    comparisons = list(comparison_list_published()[:limit])
    tools = [tool for comparison in comparisons for tool in comparison.tools]
    prefetch_related_objects(tools, "plans")
    return HomePage(
        comparisons=comparisons,
        categories=category_list_with_counts(),
        figures=panel_figures(tool_ids={tool.pk for tool in tools}),
    )


@dataclass(frozen=True)
class ToolSide:
    """One column of a comparison: the tool and its numbers."""

    tool: Tool
    panel: Share
    community: Share


# A sentence ends at . ! or ? followed by white space and a capital, a digit or an opening
# quote; "FLUX.1" or "e.g. the" do not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"\u201c(])")


@dataclass(frozen=True)
class ReviewText:
    """A review's body as the page shows it: the one-line takeaway, then the rest, folded."""

    takeaway: str
    rest: str


def review_text_split(*, body: str) -> ReviewText:
    """The first sentence as the takeaway; the whole body when it is one sentence."""
    parts = SENTENCE_END.split(body.strip(), maxsplit=1)
    return ReviewText(takeaway=parts[0], rest=parts[1] if len(parts) > 1 else "")


@dataclass(frozen=True)
class ScorecardRow:
    """One persona's two reviews, side by side."""

    persona: Persona
    review_a: Review | None
    review_b: Review | None

    @property
    def text_a(self) -> ReviewText | None:
        return review_text_split(body=self.review_a.body) if self.review_a else None

    @property
    def text_b(self) -> ReviewText | None:
        return review_text_split(body=self.review_b.body) if self.review_b else None

    @property
    def is_split(self) -> bool:
        """True when the persona ships one tool and skips the other."""
        if self.review_a is None or self.review_b is None:
            return False
        return self.review_a.verdict != self.review_b.verdict


@dataclass(frozen=True)
class SplitChart:
    """Geometry of the inline SVG: one 44-unit band a persona, below a header band."""

    rows: list[tuple[ScorecardRow, int]]
    height: int


@dataclass(frozen=True)
class ComparisonPage:
    comparison: Comparison
    side_a: ToolSide
    side_b: ToolSide
    scorecard: list[ScorecardRow]
    head_to_head: list[HeadToHeadPick]
    specs: list[SpecRow]

    @property
    def sides(self) -> tuple[ToolSide, ToolSide]:
        return (self.side_a, self.side_b)

    @property
    def split_personas(self) -> list[Persona]:
        return [row.persona for row in self.scorecard if row.is_split]

    @property
    def split_chart(self) -> SplitChart:
        rows = [(row, 36 + 44 * index) for index, row in enumerate(self.scorecard)]
        return SplitChart(rows=rows, height=36 + 44 * len(rows) + 8)

    @property
    def panel_too_close(self) -> bool:
        return self.side_a.panel.overlaps(self.side_b.panel)

    @property
    def makers(self) -> PanelMakers:
        """The models behind the scorecard's reviews, and whether they are of one family."""
        reviews = [r for row in self.scorecard for r in (row.review_a, row.review_b) if r]
        return panel_makers(reviews)

    @property
    def community_too_close(self) -> bool:
        return self.side_a.community.overlaps(self.side_b.community)


def scorecard_rows(*, reviews: Iterable[Review], tool_a: Tool, tool_b: Tool) -> list[ScorecardRow]:
    """Rows in panel order for every persona that reviewed either tool."""
    by_persona: dict[int, dict[int, Review]] = {}
    personas: dict[int, Persona] = {}
    for review in reviews:
        personas[review.persona_id] = review.persona
        by_persona.setdefault(review.persona_id, {})[review.tool_id] = review
    ordered = sorted(personas.values(), key=lambda persona: persona.panel_order_key)
    return [
        ScorecardRow(
            persona=persona,
            review_a=by_persona[persona.pk].get(tool_a.pk),
            review_b=by_persona[persona.pk].get(tool_b.pk),
        )
        for persona in ordered
    ]


def comparison_page(*, comparison: Comparison) -> ComparisonPage:
    """Everything the comparison page shows, in a fixed number of queries."""
    tool_a, tool_b = comparison.tools
    prefetch_related_objects([tool_a, tool_b], "plans")
    tool_ids = [tool_a.pk, tool_b.pk]
    reviews = review_list_current(tool_ids=tool_ids)
    panel = panel_shares(reviews=reviews, tool_ids=tool_ids)
    community = community_shares(tool_ids=tool_ids)
    return ComparisonPage(
        comparison=comparison,
        side_a=ToolSide(tool=tool_a, panel=panel[tool_a.pk], community=community[tool_a.pk]),
        side_b=ToolSide(tool=tool_b, panel=panel[tool_b.pk], community=community[tool_b.pk]),
        scorecard=scorecard_rows(reviews=reviews, tool_a=tool_a, tool_b=tool_b),
        head_to_head=head_to_head_picks(tool_a=tool_a, tool_b=tool_b),
        specs=specs_for_tools(tools=[tool_a, tool_b]),
    )
