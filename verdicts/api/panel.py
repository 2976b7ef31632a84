"""The panel's head-to-head answers (which tool each persona would ship with, in both orders)
and its self-audit reports."""

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from verdicts.api.lookups import published_or_404
from verdicts.api.schemas import ErrorOut, HeadToHeadOut, ShareOut, Slug, ValidationErrorOut
from verdicts.api.serializers import share_dict
from verdicts.catalog.selectors import tool_get_published
from verdicts.pages.read_models.comparison_lenses import (
    bottom_line,
    lens_weighting,
    order_swap_share,
)
from verdicts.pages.read_models.comparisons import ComparisonPage, comparison_get_published
from verdicts.panel.audit.selectors import AuditReport, panel_audit_latest
from verdicts.panel.selectors import HeadToHeadPick, head_to_head_picks
from verdicts.panel.steering.selectors import HeldAnswers, held_answers
from verdicts.panel.weighting import WeightedShare, lens_weights_split

router = Router(tags=["panel"])


@router.get(
    "/comparisons/{slug}/head-to-head",
    response={200: list[HeadToHeadOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="Each persona's pick between the two tools, asked in both orders",
)
def head_to_head(request: HttpRequest, slug: Slug):
    """Each persona's latest pick; a pick that flipped with the order is a tie."""
    comparison = published_or_404(comparison_get_published(slug=slug), kind="comparison")
    picks = head_to_head_picks(tool_a=comparison.tool_a, tool_b=comparison.tool_b)
    return [head_to_head_dict(pick) for pick in picks]


def head_to_head_dict(pick: HeadToHeadPick) -> dict:
    return {
        "persona": pick.persona.slug,
        "pick": pick.pick.slug if pick.pick else None,
        "tie": not pick.consistent,
        "for_whom": pick.for_whom,
    }


def weighted_share_dict(share: WeightedShare) -> dict:
    low, high = share.interval
    return {
        "percent": share.percent,
        "interval_low": round(low, 4),
        "interval_high": round(high, 4),
        "effective_reviews": round(share.effective_reviews, 4),
        "reviews": share.reviews,
    }


def comparison_panel_dict(page: ComparisonPage, *, weights: str) -> dict:
    """The comparison's head-to-head picks, their order-swap consistency, the panel shares
    with the reader's lens weights ("builder:2,skeptic:0") and the bottom line."""
    weighting = lens_weighting(page=page, pairs=lens_weights_split(text=weights))
    line = bottom_line(page=page)
    return {
        "head_to_head": [head_to_head_dict(pick) for pick in page.head_to_head],
        "order_consistent": share_dict(order_swap_share(page=page)),
        "weighted": {
            "weights": weighting.weights.weights,
            "side_a": weighted_share_dict(weighting.side_a.share),
            "side_b": weighted_share_dict(weighting.side_b.share),
            "too_close": weighting.too_close,
            "notice": weighting.weights.notice,
        },
        "bottom_line": {
            "source": line.source,
            "text": line.text,
            "updated_at": line.updated_at,
            "choices": [
                {
                    "tool": choice.tool.slug,
                    "for_whom": [words for words, _ in choice.for_whom],
                    "personas": [[p.slug for p in personas] for _, personas in choice.for_whom],
                }
                for choice in line.choices
            ],
            "too_close": line.too_close,
        },
    }


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
    swayed: ShareOut = Field(
        description="In panel runs: answers that changed when asked again without vendor text."
    )
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
        "swayed": share_dict(report.swayed),
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


class HeldReasonOut(Schema):
    reason: str
    count: int


class HeldOut(Schema):
    reviews: int = Field(description="Current reviews held out of the panel share.")
    picks: int = Field(description="Latest head-to-head answers held out of the picks.")
    total: int
    reasons: list[HeldReasonOut] = Field(description="Why, most common first.")


def held_dict(held: HeldAnswers) -> dict:
    return {
        "reviews": held.reviews,
        "picks": held.picks,
        "total": held.total,
        "reasons": [{"reason": reason, "count": count} for reason, count in held.reasons],
    }


@router.get(
    "/comparisons/{slug}/held",
    response={200: HeldOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="How many of the panel's answers on the comparison are held, and why",
)
def comparison_held(request: HttpRequest, slug: Slug):
    """Answers asked again without vendor-written text that are not counted (yet)."""
    comparison = published_or_404(comparison_get_published(slug=slug), kind="comparison")
    return held_dict(held_answers(tool_ids=[comparison.tool_a_id, comparison.tool_b_id]))


@router.get(
    "/tools/{slug}/held",
    response={200: HeldOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="How many of the panel's answers on the tool are held, and why",
)
def tool_held(request: HttpRequest, slug: Slug):
    """Answers asked again without vendor-written text that are not counted (yet)."""
    tool = published_or_404(tool_get_published(slug=slug), kind="tool")
    return held_dict(held_answers(tool_ids=[tool.pk]))
