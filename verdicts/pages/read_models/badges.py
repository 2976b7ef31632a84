"""The AI panel's figure for a tool as badges and cards show it: its share and when it last
reviewed the tool; and the badges themselves, drawn as accessible SVG."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.share import Share
from verdicts.common.urls import absolute_url
from verdicts.panel.selectors import panel_shares, review_list_current

# Approximate advance widths of 11 px Verdana, the badge face, in pixels.
NARROW = set("ijlI.,:;!|'() ")
WIDE = set("mwMW%")
LABEL = "AI panel"


@dataclass(frozen=True)
class PanelFigure:
    """A tool's current panel share and the day its latest current review was written."""

    share: Share
    last_reviewed: datetime.date | None

    @property
    def summary(self) -> str:
        """ "3 of 4 say ship, reviewed 17 Nov 2026", or "not yet reviewed"."""
        if not self.share.has_data or self.last_reviewed is None:
            return "not yet reviewed"
        share = f"{self.share.count} of {self.share.total} say ship"
        return f"{share}, reviewed {_day(self.last_reviewed)}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def panel_figures(*, tool_ids: Iterable[int]) -> dict[int, PanelFigure]:
    """Each tool's panel figure, from its current reviews, in one query."""
    tool_ids = list(tool_ids)
    reviews = review_list_current(tool_ids=tool_ids)
    shares = panel_shares(reviews=reviews, tool_ids=tool_ids)
    latest: dict[int, datetime.datetime] = {}
    for review in reviews:
        if review.tool_id not in latest or review.created_at > latest[review.tool_id]:
            latest[review.tool_id] = review.created_at
    return {
        tool_id: PanelFigure(
            share=shares[tool_id],
            last_reviewed=timezone.localdate(latest[tool_id]) if tool_id in latest else None,
        )
        for tool_id in tool_ids
    }


def text_width(text: str) -> int:
    """The text's width in the badge's face, near enough to size its box."""
    return round(sum(4 if c in NARROW else 10 if c in WIDE else 7 for c in text)) + 10


@dataclass(frozen=True)
class BadgeSide:
    tool: Tool
    figure: PanelFigure


@dataclass(frozen=True)
class Badge:
    """A two-part badge, the "AI panel" label and the figure, with the sentence that says both,
    and the addresses to embed it by."""

    value: str
    title: str
    # "ship" (more ships than skips), "skip", "even" or "none": the value's colour.
    tone: str
    sides: list[BadgeSide]
    name: str
    page_path: str
    svg_path: str

    @property
    def label(self) -> str:
        return LABEL

    @property
    def last_reviewed(self) -> datetime.date | None:
        days = [side.figure.last_reviewed for side in self.sides if side.figure.last_reviewed]
        return max(days, default=None)

    @property
    def label_width(self) -> int:
        return text_width(LABEL)

    @property
    def value_width(self) -> int:
        return text_width(self.value)

    @property
    def width(self) -> int:
        return self.label_width + self.value_width

    @property
    def label_x(self) -> float:
        return self.label_width / 2

    @property
    def value_x(self) -> float:
        return self.label_width + self.value_width / 2

    @property
    def alt(self) -> str:
        return f"{LABEL} verdict on {self.name} ({settings.SITE_NAME})"

    @property
    def html(self) -> str:
        """The HTML to embed: the badge, linked to its page (the tool page shows the same)."""
        return (
            f'<a href="{escape(absolute_url(self.page_path))}">'
            f'<img src="{escape(absolute_url(self.svg_path))}" alt="{escape(self.alt)}"></a>'
        )

    @property
    def markdown(self) -> str:
        alt = self.alt.replace("[", "").replace("]", "")
        return f"[![{alt}]({absolute_url(self.svg_path)})]({absolute_url(self.page_path)})"


def _tone(share: Share) -> str:
    if not share.has_data:
        return "none"
    if 2 * share.count == share.total:
        return "even"
    return "ship" if 2 * share.count > share.total else "skip"


def tool_badge(*, tool: Tool) -> Badge:
    """The badge of one tool, in one query."""
    figure = panel_figures(tool_ids=[tool.pk])[tool.pk]
    return Badge(
        value=figure.summary,
        title=f"{LABEL} (AI-written reviews) on {tool.name}: {figure.summary}",
        tone=_tone(figure.share),
        sides=[BadgeSide(tool=tool, figure=figure)],
        name=tool.name,
        page_path=tool.get_absolute_url(),
        svg_path=reverse("pages:badge-tool", kwargs={"slug": tool.slug}),
    )


def comparison_badge(*, comparison: Comparison) -> Badge:
    """The badge of a comparison: each tool's panel share and the later review date, in one
    query."""
    tool_a, tool_b = comparison.tools
    figures = panel_figures(tool_ids=[tool_a.pk, tool_b.pk])
    sides = [BadgeSide(tool=tool, figure=figures[tool.pk]) for tool in (tool_a, tool_b)]
    days = [side.figure.last_reviewed for side in sides if side.figure.last_reviewed]
    if days:
        shares = " · ".join(
            f"{side.tool.name} {side.figure.share.count} of {side.figure.share.total}"
            for side in sides
        )
        value = f"{shares} say ship, reviewed {_day(max(days))}"
    else:
        value = "not yet reviewed"
    title = f"{LABEL} (AI-written reviews) on {comparison.title}: " + "; ".join(
        f"{side.tool.name} {side.figure.summary}" for side in sides
    )
    return Badge(
        value=value,
        title=title,
        tone="even" if days else "none",
        sides=sides,
        name=comparison.title,
        page_path=comparison.get_absolute_url(),
        svg_path=reverse("pages:badge-comparison", kwargs={"slug": comparison.slug}),
    )


def tool_badge_get(*, slug: str) -> Badge | None:
    """The badge of a published tool, or None, in two queries."""
    tool = Tool.objects.published().filter(slug=slug).order_by("pk").first()
    return tool_badge(tool=tool) if tool is not None else None
