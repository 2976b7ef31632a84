"""Shapes of the JSON API."""

import datetime
from decimal import Decimal

from ninja import Field, Schema


class ShareOut(Schema):
    count: int
    total: int
    percent: int | None
    interval_low: float
    interval_high: float


class PlanOut(Schema):
    name: str
    kind: str
    currency: str
    price: Decimal | None
    unit: str
    input_per_mtok: Decimal | None
    output_per_mtok: Decimal | None
    cached_input_per_mtok: Decimal | None
    per_request: Decimal | None
    per_image: Decimal | None
    long_context_threshold: int | None
    long_context_input_per_mtok: Decimal | None
    long_context_output_per_mtok: Decimal | None
    long_context_cached_input_per_mtok: Decimal | None
    included_requests: int | None
    seats_included: int | None
    min_seats: int | None
    max_seats: int | None
    notes: str
    source_url: str
    checked_on: datetime.date | None


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


class ToolDetailOut(ToolOut):
    panel: ShareOut
    community: ShareOut
    reviews: list[ReviewOut]


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


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items (1 to 200).")
    offset: int = Field(0, ge=0, description="How many items to skip.")


class ToolPageOut(Schema):
    count: int
    items: list[ToolOut]


class ComparisonPageOut(Schema):
    count: int
    items: list[ComparisonOut]
