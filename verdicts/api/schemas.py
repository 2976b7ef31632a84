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


class ToolDetailOut(ToolOut):
    panel: ShareOut
    community: ShareOut
    reviews: list[ReviewOut]
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


class ComparisonOut(Schema):
    slug: str
    title: str
    question: str
    published_at: datetime.datetime
    tool_a: str
    tool_b: str
    url: str


class SideOut(Schema):
    tool: ToolOut
    panel: ShareOut
    community: ShareOut
    reviews: list[ReviewOut]


class ComparisonDetailOut(ComparisonOut):
    side_a: SideOut
    side_b: SideOut
    split_personas: list[str]
    panel_too_close: bool


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
OFFSET_MAX = 10_000_000


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description=f"How many items (1 to {LIMIT_MAX}).")
    offset: int = Field(
        0, ge=0, le=OFFSET_MAX, description=f"How many items to skip (0 to {OFFSET_MAX:,})."
    )


class ToolPageOut(Schema):
    count: int
    items: list[ToolOut]


class ComparisonPageOut(Schema):
    count: int
    items: list[ComparisonOut]
