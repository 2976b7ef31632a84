"""Spend: each call is priced, checked against the monthly budget and booked before it is made,
then recorded with what it used."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from verdicts.llm.pricing import Usage, cost_usd, price_lookup
from verdicts.panel.models import JobStatus, LlmCall, PanelJob, SpendMonth
from verdicts.panel.prompts import JobRequest
from verdicts.panel.selectors import spend_this_month
from verdicts.panel.services.config import PanelSettings

if TYPE_CHECKING:
    # For the annotation only: the calls module loads pydantic-ai's agent, which only jobs need.
    from verdicts.llm.calls import Outcome


def call_estimate(request: JobRequest, *, model_id: str, config: PanelSettings) -> Decimal:
    """A cautious price for one call: prompt tokens guessed from its length, output at the cap."""
    price = price_lookup(model_id, config.llm.prices)
    if price is None:
        return Decimal(0)
    guessed_input = (len(request.instructions) + len(request.prompt)) // 3 + 400
    return cost_usd(
        Usage(input_tokens=guessed_input, output_tokens=config.max_output_tokens), price
    )


@transaction.atomic
def llm_call_reserve(
    *, job: PanelJob, token: str, request: JobRequest, config: PanelSettings
) -> LlmCall | None:
    """Check the monthly budget and book a call against it; None when the job is not ours any
    more or the budget would be passed (then the whole run stops)."""
    now = timezone.now()
    estimate = call_estimate(request, model_id=job.model_id, config=config)
    mine = PanelJob.objects.filter(pk=job.pk, claim=token, status=JobStatus.RUNNING)
    if estimate:
        # The month's row is the lock that makes check-then-book atomic across workers.
        month, _ = SpendMonth.objects.get_or_create(month=now.strftime("%Y-%m"))
        SpendMonth.objects.select_for_update().filter(pk=month.pk).exists()
        spent = spend_this_month(now=now)
        if spent + estimate > config.monthly_budget:
            reason = (
                f"Stopped: this call (about ${estimate}) would pass the monthly budget of "
                f"${config.monthly_budget} (${spent} spent). Raise "
                "VERDICTS_PANEL_MONTHLY_BUDGET_USD or wait for next month."
            )
            mine.update(status=JobStatus.SKIPPED, error=reason, finished_at=now, claim="")
            PanelJob.objects.filter(run_id=job.run_id, status=JobStatus.QUEUED).update(
                status=JobStatus.SKIPPED, error=reason, finished_at=now
            )
            return None
    booked = mine.update(
        attempts=job.attempts + 1, claimed_at=now, prompt_version=request.prompt_version
    )
    if not booked:
        return None
    job.attempts += 1
    call = LlmCall(
        job=job,
        model_id=job.model_id,
        prompt_version=request.prompt_version,
        attempt=job.attempts,
        estimated_cost_usd=estimate,
    )
    # The job row was just updated under our claim: checking its key again costs a query.
    call.full_clean(exclude=["job"])
    call.save()
    return call


@transaction.atomic
def llm_call_record(*, call: LlmCall, outcome: "Outcome", config: PanelSettings) -> LlmCall:
    """Record what a call used, cost and took."""
    price = price_lookup(call.model_id, config.llm.prices)
    call.status = LlmCall.Status.OK if outcome.output is not None else LlmCall.Status.ERROR
    call.input_tokens = outcome.usage.input_tokens
    call.cached_tokens = outcome.usage.cached_tokens
    call.output_tokens = outcome.usage.output_tokens
    call.cost_usd = None if price is None else cost_usd(outcome.usage, price)
    call.duration_ms = round(outcome.duration * 1000)
    call.error = outcome.error
    call.full_clean(exclude=["job"])
    call.save()
    return call
