"""What the comparison page adds to its read model, at no extra query: the reader's lens
weights, the head-to-head order-swap line and the bottom line."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from verdicts.catalog.models import Tool
from verdicts.common.share import Share
from verdicts.pages.read_models.comparisons import ComparisonPage, ToolSide
from verdicts.panel.models import Persona, Verdict
from verdicts.panel.weighting import (
    WEIGHT_CHOICES,
    LensWeights,
    WeightedShare,
    lens_weights_parse,
    weighted_share,
)

# The form's field for a lens: "w-builder=2"; the API takes "weights=builder:2" instead.
WEIGHT_FIELD_PREFIX = "w-"


@dataclass(frozen=True)
class LensControl:
    """One persona's weight in the form."""

    persona: Persona
    weight: int
    choices: tuple[int, ...] = WEIGHT_CHOICES

    @property
    def field(self) -> str:
        return f"{WEIGHT_FIELD_PREFIX}{self.persona.slug}"


@dataclass(frozen=True)
class WeightedSide:
    tool: Tool
    share: WeightedShare


@dataclass(frozen=True)
class LensWeighting:
    """The panel share of each tool with the reader's weights (equal unless chosen)."""

    weights: LensWeights
    controls: list[LensControl]
    side_a: WeightedSide
    side_b: WeightedSide

    @property
    def sides(self) -> tuple[WeightedSide, WeightedSide]:
        return (self.side_a, self.side_b)

    @property
    def too_close(self) -> bool:
        return self.side_a.share.overlaps(self.side_b.share)


def lens_weighting(*, page: ComparisonPage, pairs: Iterable[tuple[str, str]]) -> LensWeighting:
    """The page's panel shares reweighted by lens, from the reviews the page already read."""
    personas = [row.persona for row in page.scorecard]
    weights = lens_weights_parse(pairs=pairs, personas=[persona.slug for persona in personas])

    def side(tool_side: ToolSide, pick) -> WeightedSide:
        reviews = [(row.persona, pick(row)) for row in page.scorecard if pick(row) is not None]
        share = weighted_share(
            verdicts=[
                (weights.of(persona.slug), review.verdict == Verdict.SHIP)
                for persona, review in reviews
            ]
        )
        return WeightedSide(tool=tool_side.tool, share=share)

    return LensWeighting(
        weights=weights,
        controls=[LensControl(persona=p, weight=weights.of(p.slug)) for p in personas],
        side_a=side(page.side_a, lambda row: row.review_a),
        side_b=side(page.side_b, lambda row: row.review_b),
    )


def order_swap_share(*, page: ComparisonPage) -> Share:
    """Personas who picked the same tool in both orders, of those asked in both."""
    picks = page.head_to_head
    return Share(sum(1 for pick in picks if pick.consistent), len(picks))


@dataclass(frozen=True)
class Choice:
    """Who a tool suits, in the words of the personas that picked it in both orders."""

    tool: Tool
    for_whom: list[tuple[str, list[Persona]]]


@dataclass(frozen=True)
class BottomLine:
    """Who should choose which. `source`: "editors" (the comparison's editorial text, signed by
    the editors, never the panel's), "panel" (consistent head-to-head picks), "flipped" (asked,
    but every pick changed with the order) or "unasked". `choices` are the panel's, whatever
    the source."""

    source: Literal["editors", "panel", "flipped", "unasked"]
    choices: list[Choice]
    unpicked: list[Tool]
    too_close: bool
    editorial: str = ""
    updated_at: datetime.datetime | None = None

    @property
    def text(self) -> str:
        if self.source == "editors":
            return self.editorial
        if self.source == "unasked":
            return "The panel has not been asked head to head yet."
        if self.source == "flipped":
            return (
                "The panel names no choice: every persona's head-to-head pick changed with the"
                " order the tools were shown in."
            )
        clauses = [
            f"choose {choice.tool.name} if this is you: "
            + ", ".join(
                f"“{words}” ({', '.join(persona.name for persona in personas)})"
                for words, personas in choice.for_whom
            )
            for choice in self.choices
        ]
        text = "; ".join(clauses) + "."
        for tool in self.unpicked:
            text += f" No persona picked {tool.name} in both orders."
        return text[0].upper() + text[1:]


def bottom_line(*, page: ComparisonPage) -> BottomLine:
    """The editors' text when the comparison has one; else from the head-to-head answers'
    "for whom", consistent picks only (a pair never asked says so)."""
    too_close = page.side_a.panel.has_data and page.side_b.panel.has_data and page.panel_too_close
    choices, unpicked = [], []
    for tool in (page.side_a.tool, page.side_b.tool):
        groups: dict[str, list[Persona]] = {}
        for pick in page.head_to_head:
            if pick.consistent and pick.pick is not None and pick.pick.pk == tool.pk:
                text = pick.for_whom.strip().rstrip(".").strip() or "no reason given"
                groups.setdefault(text, []).append(pick.persona)
        if groups:
            choices.append(Choice(tool=tool, for_whom=list(groups.items())))
        else:
            unpicked.append(tool)
    source = "panel" if choices else "flipped" if page.head_to_head else "unasked"
    editorial = page.comparison.bottom_line.strip()
    return BottomLine(
        source="editors" if editorial else source,
        choices=choices,
        unpicked=unpicked,
        too_close=too_close,
        editorial=editorial,
        updated_at=page.comparison.bottom_line_updated_at if editorial else None,
    )
