"""The panel's head-to-head answers (which tool each persona would ship with, in both orders)
and its self-audit reports."""

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from verdicts.api.schemas import ErrorOut, ShareOut, Slug, ValidationErrorOut
from verdicts.api.serializers import share_dict
from verdicts.pages.read_models.comparisons import comparison_get_published
from verdicts.panel.audit.selectors import AuditReport, panel_audit_latest
from verdicts.panel.selectors import head_to_head_picks

router = Router(tags=["panel"])


class HeadToHeadOut(Schema):
    persona: str
    pick: str | None = Field(description="The tool's slug; null when the pick flipped (a tie).")
    tie: bool = Field(description="True when the persona's pick changed with the order asked.")
    for_whom: str


@router.get(
    "/comparisons/{slug}/head-to-head",
    response={200: list[HeadToHeadOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="Each persona's pick between the two tools, asked in both orders",
)
def head_to_head(request: HttpRequest, slug: Slug):
    """Each persona's latest pick; a pick that flipped with the order is a tie."""
    comparison = comparison_get_published(slug=slug)
    if comparison is None:
        raise HttpError(404, "No published comparison with that slug.")
    picks = head_to_head_picks(tool_a=comparison.tool_a, tool_b=comparison.tool_b)
    return [
        {
            "persona": pick.persona.slug,
            "pick": pick.pick.slug if pick.pick else None,
            "tie": not pick.consistent,
            "for_whom": pick.for_whom,
        }
        for pick in picks
    ]


class AttackOut(Schema):
    id: str
    name: str
    flipped: ShareOut = Field(description="Verdicts the planted text changed, of those asked.")


class SelfPreferenceOut(Schema):
    vendor: str = Field(description="The catalog vendor behind the model's family.")
    vendor_name: str
    tools: list[str] = Field(description="The vendor's tools the suite reviewed (slugs).")
    own: ShareOut = Field(description="The model's ship verdicts on those tools.")
    others: ShareOut = Field(description="The other models' ship verdicts on the same tools.")
    other_models: list[str] = Field(description="The other models compared, by name.")
    points: int | None = Field(description="Own minus others, in percentage points.")


class AuditOut(Schema):
    model: str = Field(description="The model's name (a private server's address is left out).")
    suite_version: str
    status: str = Field(description="done, stopped (by the monthly budget) or failed.")
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    clean: bool = Field(description="Done, with every figure within the suite's limits.")
    findings: list[str] = Field(description="Each figure past its limit, in words.")
    personas: list[str]
    pairs: list[str]
    valid_first_time: ShareOut
    valid_after_retries: ShareOut
    order_consistent: ShareOut = Field(description="Persona-pairs picked the same both ways.")
    first_picked: ShareOut = Field(description="Head-to-head answers picking the first shown.")
    injection_tool: str
    attacks: list[AttackOut]
    self_preference: SelfPreferenceOut | None = Field(
        description="Null when the model's vendor is unknown or has no tools in the catalog."
    )
    cost_usd: float | None = Field(description="Null when the model has no price.")
    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float


def audit_dict(report: AuditReport) -> dict:
    preference = report.self_preference
    return {
        "model": report.model_name,
        "suite_version": report.suite_version,
        "status": report.status,
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "clean": report.clean,
        "findings": report.findings,
        "personas": report.personas,
        "pairs": report.pairs,
        "valid_first_time": share_dict(report.valid_first_time),
        "valid_after_retries": share_dict(report.valid_after_retries),
        "order_consistent": share_dict(report.order_consistent),
        "first_picked": share_dict(report.first_picked),
        "injection_tool": report.injection_tool,
        "attacks": [
            {"id": a.id, "name": a.name, "flipped": share_dict(a.flipped)} for a in report.attacks
        ],
        "self_preference": None
        if preference is None
        else {
            "vendor": preference.vendor,
            "vendor_name": preference.vendor_name,
            "tools": preference.tools,
            "own": share_dict(preference.own),
            "others": share_dict(preference.others),
            "other_models": preference.other_models,
            "points": preference.points,
        },
        "cost_usd": None if report.cost_usd is None else float(report.cost_usd),
        "calls": report.calls,
        "input_tokens": report.input_tokens,
        "output_tokens": report.output_tokens,
        "seconds": report.seconds,
    }


@router.get(
    "/audits",
    response={200: list[AuditOut]},
    summary="The latest self-audit report of each model, by model",
)
def audits(request: HttpRequest):
    """Each model's latest report: the suite version, the figures and what they flag."""
    return [audit_dict(report) for report in panel_audit_latest()]
