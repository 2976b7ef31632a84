"""What a share image shows: a page's own figures, read as the badges read them."""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass

from django.db.models import prefetch_related_objects

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.share import Share
from verdicts.pages.read_models.badges import LABEL, PanelFigure, panel_figures
from verdicts.votes.selectors import community_shares

# Bump when the drawing changes, so that every stored image is drawn again.
DRAWING_VERSION = 1


@dataclass(frozen=True)
class ShareFigure:
    """n of N with its 95% interval in percent; total 0 when there is nothing to count."""

    count: int
    total: int
    low: int
    high: int

    @classmethod
    def of(cls, share: Share) -> "ShareFigure":
        low, high = share.interval_percent
        return cls(count=share.count, total=share.total, low=low, high=high)

    @property
    def has_data(self) -> bool:
        return self.total > 0

    def overlaps(self, other: "ShareFigure") -> bool:
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class ShareSide:
    name: str
    panel: ShareFigure
    community: ShareFigure
    entry: str


@dataclass(frozen=True)
class ShareCard:
    """Everything a share image draws, and nothing else: its digest names the image."""

    eyebrow: str
    title: str
    sides: tuple[ShareSide, ...]
    reviewed: str | None

    @property
    def too_close(self) -> bool:
        """Two sides whose panel intervals overlap: the image must not suggest a winner."""
        if len(self.sides) != 2 or not all(side.panel.has_data for side in self.sides):
            return False
        return self.sides[0].panel.overlaps(self.sides[1].panel)

    @property
    def digest(self) -> str:
        drawn = json.dumps([DRAWING_VERSION, asdict(self)], sort_keys=True)
        return hashlib.sha256(drawn.encode()).hexdigest()[:32]


def _reviewed(figures: list[PanelFigure]) -> str | None:
    days: list[datetime.date] = [f.last_reviewed for f in figures if f.last_reviewed]
    if not days:
        return None
    day = max(days)
    return f"{day.day} {day:%b %Y}"


def _sides(tools: list[Tool]) -> tuple[tuple[ShareSide, ...], str | None]:
    tool_ids = [tool.pk for tool in tools]
    figures = panel_figures(tool_ids=tool_ids)
    community = community_shares(tool_ids=tool_ids)
    sides = tuple(
        ShareSide(
            name=tool.name,
            panel=ShareFigure.of(figures[tool.pk].share),
            community=ShareFigure.of(community[tool.pk]),
            entry=tool.entry_tier_label,
        )
        for tool in tools
    )
    return sides, _reviewed([figures[tool_id] for tool_id in tool_ids])


def comparison_share_card(*, comparison: Comparison) -> ShareCard:
    """A comparison's share card, in three queries: plans, current reviews, vote tallies."""
    tools = list(comparison.tools)
    prefetch_related_objects(tools, "plans")
    sides, reviewed = _sides(tools)
    return ShareCard(
        eyebrow=f"{LABEL} · AI tool comparison",
        title=comparison.title,
        sides=sides,
        reviewed=reviewed,
    )


def tool_share_card(*, tool: Tool) -> ShareCard:
    """A tool's share card, in two queries (its plans come with it from tool_get_published)."""
    sides, reviewed = _sides([tool])
    return ShareCard(
        eyebrow=f"{LABEL} · {tool.category.name}",
        title=tool.name,
        sides=sides,
        reviewed=reviewed,
    )
