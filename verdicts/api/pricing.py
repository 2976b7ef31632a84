"""The pricing endpoints: scenario presets and what each tool costs for a scenario."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from verdicts.api.schemas import ErrorOut, Slug, UnprocessableOut
from verdicts.catalog.plan_text import pricing_read
from verdicts.catalog.pricing import LIMITS, PRESETS, PlanCost, ToolCost
from verdicts.catalog.selectors import cost_panel_get, tool_list_published_by_slugs

router = Router(tags=["pricing"])
MAX_TOOLS = 4


class ScenarioOut(Schema):
    seats: int
    requests: int
    input_tokens: int
    output_tokens: int
    cached_percent: int
    images: int


class PresetOut(Schema):
    key: str
    label: str
    scenario: ScenarioOut


class PlanCostOut(Schema):
    plan: str
    kind: str
    outcome: str = Field(description="priced, self_hosted or not_covered")
    monthly: Decimal | None = Field(description="Exact monthly cost; null unless priced.")
    currency: str
    display: str
    assumptions: list[str]
    reason: str
    checked_on: datetime.date | None
    stale: bool
    source_url: str


class ToolCostOut(Schema):
    slug: str
    name: str
    entry_tier: str
    pricing_read: str
    outcome: str
    choice: PlanCostOut | None
    plans: list[PlanCostOut]


class CostOut(Schema):
    preset: str | None
    scenario: ScenarioOut
    statement: list[str]
    tools: list[ToolCostOut]


class CostParams(Schema):
    tool: list[Slug] = Field(
        ..., min_length=1, max_length=MAX_TOOLS, description="Tool slugs (repeat the parameter)."
    )
    # The keys are listed in the schema; an unknown one is refused with a sentence that says so.
    preset: str | None = Field(
        None,
        description="A preset key from /pricing/presets.",
        json_schema_extra={"enum": [*PRESETS, None]},
    )
    seats: int | None = Field(None, ge=LIMITS["seats"][0], le=LIMITS["seats"][1])
    requests: int | None = Field(
        None, ge=0, le=LIMITS["requests"][1], description="Requests a month."
    )
    input_tokens: int | None = Field(None, ge=0, le=LIMITS["input_tokens"][1])
    output_tokens: int | None = Field(None, ge=0, le=LIMITS["output_tokens"][1])
    cached_percent: int | None = Field(None, ge=0, le=100)
    images: int | None = Field(None, ge=0, le=LIMITS["images"][1])


def plan_cost_dict(cost: PlanCost) -> dict:
    plan = cost.plan
    return {
        "plan": plan.name,
        "kind": plan.kind,
        "outcome": cost.outcome,
        "monthly": cost.monthly,
        "currency": cost.currency,
        "display": cost.display,
        "assumptions": [*cost.assumptions, *([plan.notes] if plan.notes else [])],
        "reason": cost.reason,
        "checked_on": plan.checked_on,
        "stale": plan.is_stale,
        "source_url": plan.source_url,
    }


def tool_cost_dict(cost: ToolCost) -> dict:
    tool = cost.tool
    return {
        "slug": tool.slug,
        "name": tool.name,
        "entry_tier": tool.entry_tier,
        "pricing_read": pricing_read(tool.plans.all()),
        "outcome": cost.outcome,
        "choice": plan_cost_dict(cost.choice) if cost.choice else None,
        "plans": [plan_cost_dict(plan) for plan in cost.plans],
    }


@router.get("/presets", response=list[PresetOut], summary="Usage scenario presets")
def pricing_presets(request: HttpRequest):
    return [
        {"key": p.key, "label": p.label, "scenario": p.scenario.as_dict()} for p in PRESETS.values()
    ]


@router.get(
    "/cost",
    response={200: CostOut, 404: ErrorOut, 422: UnprocessableOut},
    summary="Each tool's cheapest plan that covers a usage scenario, with its monthly cost",
)
def pricing_cost(request: HttpRequest, params: Query[CostParams]):
    """Give scenario numbers for a custom scenario, else a preset key, else none for the
    preset that suits the tools' plans. Monthly figures are exact decimals."""
    tools = tool_list_published_by_slugs(slugs=params.tool)
    missing = sorted(set(params.tool) - {tool.slug for tool in tools})
    if missing:
        raise HttpError(404, f"No published tool with slug {', '.join(missing)}.")
    query = params.dict(exclude={"tool"}, exclude_none=True)
    if params.preset is not None and params.preset not in PRESETS:
        raise HttpError(422, f"Unknown preset {params.preset!r}; see /api/pricing/presets.")
    panel = cost_panel_get(tools=tools, query={key: str(value) for key, value in query.items()})
    return {
        "preset": panel.preset.key if panel.preset else None,
        "scenario": panel.scenario.as_dict(),
        "statement": panel.scenario.statement,
        "tools": [tool_cost_dict(cost) for cost in panel.costs],
    }
