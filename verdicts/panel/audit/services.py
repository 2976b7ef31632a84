"""Writes of the audit: its report rows, and its calls booked against the panel's monthly
budget exactly as the panel's own calls are (spend.py), so an audit can never pass it."""

import datetime
import logging
from contextlib import AbstractContextManager
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from verdicts.common.heartbeat import heartbeat_beating
from verdicts.panel.models import AuditStatus, LlmCall, PanelAudit, SpendMonth
from verdicts.panel.prompts import JobRequest
from verdicts.panel.selectors import spend_this_month
from verdicts.panel.services.config import PanelSettings
from verdicts.panel.services.spend import call_estimate

# Audit calls are LLM call rows without a job; their prompt version says which suite sent them.
CALL_PREFIX = "audit-"

logger = logging.getLogger(__name__)


def panel_audit_create(*, model_id: str, suite_version: str) -> PanelAudit:
    """A report row for one model, running until panel_audit_finish."""
    audit = PanelAudit(model_id=model_id, suite_version=suite_version, heartbeat_at=timezone.now())
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


def audit_stale_after() -> datetime.timedelta:
    """How long a running audit may go without a heartbeat before the sweeper fails it."""
    return datetime.timedelta(seconds=max(1, settings.VERDICTS_PANEL_AUDIT_STALE))


def panel_audit_heartbeat(*, audit_ids: list[int]) -> None:
    """Say the process running these audits is alive."""
    PanelAudit.objects.filter(pk__in=audit_ids, status=AuditStatus.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def audit_heartbeat(*, audit_ids: list[int]) -> AbstractContextManager[None]:
    """Beat for these audits from a thread while the block runs: a single call may outlast the
    stale limit's share, so the beat cannot wait for calls to end. A missed beat is retried at
    the next; four in a row fail the audit."""
    return heartbeat_beating(
        beat=lambda: panel_audit_heartbeat(audit_ids=audit_ids),
        every=audit_stale_after().total_seconds() / 4,
        name="audit-heartbeat",
    )


@transaction.atomic
def panel_audits_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Fail the audits a crashed process left running (no heartbeat for
    VERDICTS_PANEL_AUDIT_STALE seconds), and settle the calls they left in flight at their
    estimate, as the provider may have billed them. Returns the failed audits' ids."""
    now = now or timezone.now()
    stale = now - audit_stale_after()
    lost = list(
        PanelAudit.objects.select_for_update()
        .filter(status=AuditStatus.RUNNING)
        .filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale))
        .order_by("pk")
    )
    for audit in lost:
        seen = audit.heartbeat_at or audit.started_at
        audit.status = AuditStatus.FAILED
        audit.finished_at = now
        audit.error = (
            f"The process running this audit stopped (last sign of life {seen:%Y-%m-%d %H:%M} "
            "UTC); no report was stored. Run `verdicts panel audit` again."
        )
        audit.save(update_fields=["status", "finished_at", "error"])
    if lost:
        # Older than a call can last too, so a live audit's call in flight is left alone.
        settled = min(stale, now - PanelSettings.load().lease)
        LlmCall.objects.filter(
            job__isnull=True,
            status=LlmCall.Status.RESERVED,
            prompt_version__startswith=CALL_PREFIX,
            created_at__lt=settled,
        ).update(
            status=LlmCall.Status.ERROR,
            cost_usd=F("estimated_cost_usd"),
            error="The audit stopped during this call; its cost is counted at the estimate.",
        )
    return [audit.pk for audit in lost]
