"""Writes of the audit: its report rows, and its calls booked against the panel's monthly
budget exactly as the panel's own calls are (spend.py), so an audit can never pass it."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from verdicts.panel.models import AuditStatus, LlmCall, PanelAudit, SpendMonth
from verdicts.panel.prompts import JobRequest
from verdicts.panel.selectors import spend_this_month
from verdicts.panel.services.config import PanelSettings
from verdicts.panel.services.spend import call_estimate

# Audit calls are LLM call rows without a job; their prompt version says which suite sent them.
CALL_PREFIX = "audit-"


def panel_audit_create(*, model_id: str, suite_version: str) -> PanelAudit:
    """A report row for one model, running until panel_audit_finish."""
    audit = PanelAudit(model_id=model_id, suite_version=suite_version)
    audit.full_clean()
    audit.save()
    return audit


def panel_audit_finish(
    *,
    audit: PanelAudit,
    status: str,
    figures: dict,
    calls: int,
    cost_usd: Decimal | None,
    error: str = "",
) -> PanelAudit:
    """Store a report's figures and how it ended."""
    audit.status = status
    audit.figures = figures
    audit.calls = calls
    audit.cost_usd = cost_usd
    audit.error = error
    audit.finished_at = timezone.now()
    audit.full_clean()
    audit.save()
    return audit


class BudgetStop(Exception):
    """The next call would pass the monthly budget; the message says so and how to go on."""


@transaction.atomic
def audit_call_reserve(
    *, model_id: str, request: JobRequest, suite_version: str, config: PanelSettings
) -> LlmCall:
    """Check the monthly budget and book an audit call against it; BudgetStop when it would
    pass the budget."""
    estimate = call_estimate(request, model_id=model_id, config=config)
    if estimate:
        now = timezone.now()
        # The month's row is the lock that makes check-then-book atomic, with the panel's calls.
        month, _ = SpendMonth.objects.get_or_create(month=now.strftime("%Y-%m"))
        SpendMonth.objects.select_for_update().filter(pk=month.pk).exists()
        spent = spend_this_month(now=now)
        if spent + estimate > config.monthly_budget:
            raise BudgetStop(
                f"Stopped: the next audit call (about ${estimate}) would pass the monthly budget "
                f"of ${config.monthly_budget} (${spent} spent). Raise "
                "VERDICTS_PANEL_MONTHLY_BUDGET_USD or wait for next month."
            )
    call = LlmCall(
        job=None,
        model_id=model_id,
        prompt_version=f"{CALL_PREFIX}{suite_version}:{request.prompt_version}",
        estimated_cost_usd=estimate,
    )
    call.full_clean(exclude=["job"])
    call.save()
    return call


def audit_status(*, stopped: bool, answered: int) -> str:
    """How an audit ended: stopped by the budget, failed (no answer at all), or done."""
    if stopped:
        return AuditStatus.STOPPED
    return AuditStatus.DONE if answered else AuditStatus.FAILED
