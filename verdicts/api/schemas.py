"""Shapes of the JSON API."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints, create_model

from verdicts.catalog.models import PRICE_SPECS, PriceField

# Slugs as the catalog makes them; anything else (a NUL, a control character) is a 422 before
# it reaches a query (PostgreSQL refuses NUL in text, which would be a 500).
Slug = Annotated[str, StringConstraints(pattern=r"^[-A-Za-z0-9_]+$", max_length=100)]


class ShareOut(Schema):
    count: int
    total: int
    percent: int | None
    interval_low: float
    interval_high: float


def plan_out_field(spec: PriceField) -> tuple[object, object]:
    """One price field of a plan in the API: always present, null when the plan has none."""
    return (spec.type | None if spec.nullable else spec.type), ...


# The price fields come from the model, so the API never falls behind the catalog.
PlanOut = create_model(
    "PlanOut",
    __base__=Schema,
    name=str,
    unit=str,
    **{spec.name: plan_out_field(spec) for spec in PRICE_SPECS},
    notes=str,
    source_url=str,
    checked_on=datetime.date | None,
)


class ToolOut(Schema):
    slug: str
    name: str
    category: str
    vendor: str
    tagline: str
    description: str
    homepage: str
    docs_url: str
    repository_url: str
    licence: str
    open_weights: bool
    entry_tier: str
    launch_date: datetime.date | None
    facts: dict[str, str]
    url: str
    share_image: str = Field(description="The tool's 1200 x 630 PNG share card, as pages link it.")
    plans: list[PlanOut]


class ReviewOut(Schema):
    persona: str
    verdict: str
    confidence: float | None
    body: str
    author: str
    model: str = Field(description="The model that wrote it; empty for editorial reviews.")
    prompt_version: str
    created_at: datetime.datetime
    kind: Literal["ai", "editorial"] = Field(
        description='"ai": AI analysis, a model writing as the persona; "editorial": the editors.'
    )
    label: str = Field(description="Who wrote it, in words to show beside the review.")


class FactSourceOut(Schema):
    fact: str
    label: str
    value: str = Field(description="The source's value; it may differ from the tool's own.")
    source_url: str = Field(description="Where it was read; empty for an imported file.")
    read_at: datetime.datetime


class FactChangeOut(Schema):
    fact: str
    label: str
    old_value: str
    new_value: str
    source_url: str = Field(description="Where the new value was read; empty for a file.")
    read_at: datetime.datetime


class RegistryCheckOut(Schema):
    registry: str = Field(description='"GitHub", "Hugging Face Hub" or "package index".')
    artifact: str = Field(description="The repository, model or package the tool names.")
    found: bool = Field(description="False: the registry says the artifact does not exist.")
    summary: str = Field(description='e.g. "GitHub has no repository acme/widget".')
    checked_url: str
    checked_at: datetime.datetime


class ClaimOut(Schema):
    value: str
    source: str = Field(description='"Verdicts editors", the source\'s URL, or an imported file.')
    source_url: str = Field(description="Empty for the editors and for an imported file.")
    at: datetime.datetime = Field(description="When the editors updated it, or it was read.")


class FactConflictOut(Schema):
    fact: str
    label: str
    editorial: ClaimOut = Field(description="The tool's own value, the editors'.")
    sourced: ClaimOut = Field(description="The value a source gives instead.")


class AlternativeOut(Schema):
    slug: str
    name: str
    score: float = Field(description="Similarity from 0 to 1: description, category and facts.")
    reasons: list[str] = Field(description='Why, e.g. "same category", "both open weights".')


class DossierChangeOut(Schema):
    kind: str = Field(
        description="pricing, licence, availability, description, documentation, facts, identity"
    )
    text: str


class TimelineEntryOut(Schema):
    verdict: str
    created_at: datetime.datetime
    kind: Literal["ai", "editorial"] = Field(
        description='"ai": AI analysis, a model writing as the persona; "editorial": the editors.'
    )
    label: str
    dossier_changes: list[DossierChangeOut] | None = Field(
        description="What changed in the dossier since the version before; null when not "
        "recorded (or for the first version), empty when nothing changed."
    )


class PersonaTimelineOut(Schema):
    persona: str
    entries: list[TimelineEntryOut] = Field(description="Every review version, oldest first.")


class SpecValueOut(Schema):
    value: str | None = Field(
        description='The value, written one way across tools (e.g. "128K tokens"); null: '
        "not stated."
    )
    source: str = Field(description='"Verdicts editors", the source\'s URL, or an imported file.')
    source_url: str = Field(description="Empty for the editors, an imported file, or no value.")
    at: datetime.datetime | None = Field(description="When the editors updated it, or it was read.")


class ToolSpecOut(SpecValueOut):
    key: str = Field(
        description="context_window, parameters, licence, open_weights, modalities, deployment, "
        "launch_date or availability"
    )
    label: str


class PairSpecOut(Schema):
    key: str = Field(description="As in a tool's `specifications`; the same rows, same order.")
    label: str
    tool_a: SpecValueOut
    tool_b: SpecValueOut


class ToolDetailOut(ToolOut):
    panel: ShareOut
    community: ShareOut
    reviews: list[ReviewOut]
    timeline: list[PersonaTimelineOut] = Field(
        description="Each persona's verdicts over time, in panel order."
    )
    verified: Literal["verified", "unverified", "unchecked"] = Field(
        description="unverified: a registry says the artifact the tool names does not exist; "
        "verified: every registry asked found it; unchecked: none was asked."
    )
    registry_checks: list[RegistryCheckOut]
    sources: list[FactSourceOut] = Field(
        description="Where each imported fact was last read; empty when every fact is editorial."
    )
    editorial_updated_at: datetime.datetime = Field(
        description="When the editors last updated the tool: the date of facts no source gives."
    )
    conflicts: list[FactConflictOut] = Field(
        description="Facts where a source contradicts the editors, with both values."
    )
    changes: list[FactChangeOut] = Field(description="Changes imports made, newest first.")
    change_count: int = Field(description="Every change recorded; `changes` holds the latest.")
    alternatives: list[AlternativeOut] = Field(
        description="The nearest published tools, same category first; empty until embedded."
    )
    specifications: list[ToolSpecOut] = Field(
        description="The specifications grid's rows, each with its source; every row is present."
    )


class ComparisonOut(Schema):
    slug: str
    title: str
    question: str
    published_at: datetime.datetime
    tool_a: str
    tool_b: str
    url: str
    share_image: str = Field(description="The comparison's 1200 x 630 PNG share card.")


class SideOut(Schema):
    tool: ToolOut
    panel: ShareOut
    community: ShareOut
    reviews: list[ReviewOut]


class HeadToHeadOut(Schema):
    persona: str
    pick: str | None = Field(description="The tool's slug; null when the pick flipped (a tie).")
    tie: bool = Field(
        description="True when the two orders disagreed: the pick changed with the order asked."
    )
    for_whom: str


class WeightedShareOut(Schema):
    percent: int | None = Field(description="Null when no review has a weight above 0.")
    interval_low: float
    interval_high: float
    effective_reviews: float = Field(description="n_eff = (sum w)^2 / sum w^2, the interval's n.")
    reviews: int = Field(description="The tool's current reviews, whatever their weight.")


class WeightedOut(Schema):
    weights: dict[str, int] = Field(description="The weight used for each persona (0 to 3).")
    side_a: WeightedShareOut
    side_b: WeightedShareOut
    too_close: bool = Field(description="The two weighted 95% intervals overlap.")
    notice: str = Field(
        description="Why the weights asked for were set aside for equal ones; empty when used."
    )


class ChoiceOut(Schema):
    tool: str
    for_whom: list[str] = Field(description="Each persona's words, once a wording.")
    personas: list[list[str]] = Field(description="The personas behind each wording.")


class BottomLineOut(Schema):
    source: Literal["editors", "panel", "flipped", "unasked"] = Field(
        description='"editors": the Verdicts editors\' own text (people, not AI analysis); '
        '"panel": head-to-head picks held in both orders; "flipped": every pick changed with '
        'the order; "unasked": no head-to-head yet.'
    )
    text: str = Field(description="The bottom line in words, as the page shows it.")
    updated_at: datetime.datetime | None = Field(
        None, description="When the editors last changed their text; null for the panel's."
    )
    choices: list[ChoiceOut] = Field(
        description="The panel's consistent picks and for whom, whatever the source."
    )
    too_close: bool = Field(description="The panel's ship shares are too close to call.")


WEIGHTS_PATTERN = r"^([-A-Za-z0-9_]+:[0-3](,[-A-Za-z0-9_]+:[0-3])*)?$"


class ComparisonParams(Schema):
    weights: str = Field(
        "",
        max_length=300,
        pattern=WEIGHTS_PATTERN,
        description='Lens weights, "persona:weight" joined by commas (e.g. "builder:2,skeptic:0"),'
        " each weight 0 to 3; a persona left out weighs 1. Empty: equal weights.",
    )


class ComparisonDetailOut(ComparisonOut):
    side_a: SideOut
    side_b: SideOut
    split_personas: list[str]
    panel_too_close: bool
    head_to_head: list[HeadToHeadOut]
    order_consistent: ShareOut = Field(
        description="Personas who picked the same tool in both orders, of those asked in both."
    )
    weighted: WeightedOut = Field(description="The panel shares with the `weights` asked for.")
    bottom_line: BottomLineOut
    specifications: list[PairSpecOut] = Field(
        description="The specifications grid: each row with both tools' values and sources."
    )


class ErrorOut(Schema):
    detail: str


class ValidationIssueOut(Schema):
    """One invalid input, as pydantic reports it (other keys, such as `ctx`, may follow)."""

    type: str = Field(description='e.g. "int_parsing", "less_than_equal", "missing".')
    loc: list[str | int] = Field(description='Where, e.g. ["query", "offset"].')
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationIssueOut] = Field(description="Each invalid input.")


class UnprocessableOut(Schema):
    detail: str | list[ValidationIssueOut] = Field(
        description="A sentence (a request the API understood but refuses), or each invalid input."
    )


LIMIT_MAX = 200
# An offset is skipped row by row, so it is bounded; `after` (the `next` link) starts from the
# list's index at any depth.
OFFSET_MAX = 10_000


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description=f"How many items (1 to {LIMIT_MAX}).")
    offset: int = Field(
        0,
        ge=0,
        le=OFFSET_MAX,
        description=f"How many items to skip (0 to {OFFSET_MAX:,}); deeper, follow `next`.",
    )
    after: Slug | None = Field(
        None,
        description="Start just after the item with this slug (as `next` gives it); the same"
        " cost at any depth. `offset` then counts from there.",
    )


NEXT_DESCRIPTION = "The next page's URL (`after` this page's last item), or null on the last page."


class ToolPageOut(Schema):
    count: int
    next: str | None = Field(description=NEXT_DESCRIPTION)
    items: list[ToolOut]


class ComparisonPageOut(Schema):
    count: int
    next: str | None = Field(description=NEXT_DESCRIPTION)
    items: list[ComparisonOut]
