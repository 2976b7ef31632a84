"""Job execution: a worker claims a job, calls the model with retries and backoff within the
budget, and stores the result exactly once; a sweeper takes back what dead workers left.

The only panel module that imports the call layer (and so pydantic-ai's agent): workers and
the commands that execute jobs import it, the admin and the site do not.
"""

import datetime
import logging
import random
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from pydantic import BaseModel

from verdicts.llm.calls import backoff_delay, call_structured_sync
from verdicts.llm.registry import model_resolve
from verdicts.panel.history.services import review_history_record
from verdicts.panel.models import (
    ACTIVE_RUN_STATUSES,
    Hold,
    JobKind,
    JobStatus,
    LlmCall,
    PanelJob,
    PanelRun,
    RunStatus,
)
from verdicts.panel.prompts import JobRequest, job_request_build
from verdicts.panel.services.config import PanelSettings
from verdicts.panel.services.editorial import review_create
from verdicts.panel.services.holds import (
    PENDING_REASON,
    counterfactual_queue,
    counterfactual_settle,
    job_is_steered,
)
from verdicts.panel.services.runs import panel_run_refresh
from verdicts.panel.services.spend import llm_call_record, llm_call_reserve

logger = logging.getLogger(__name__)


def panel_job_claim(*, job_id: int, token: str) -> bool:
    """Take a queued job for this worker; False when someone else has it or it is finished."""
    now = timezone.now()
    claimed = PanelJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, claim=token, claimed_at=now
    )
    return bool(claimed)


@transaction.atomic
def panel_job_finish(
    *,
    job: PanelJob,
    token: str,
    request: JobRequest | None,
    output: BaseModel | None,
    error: str = "",
) -> bool:
    """Store a job's result, exactly once: its review or pick, or "no verdict" with the error.
    False when the job was taken back by the sweeper meanwhile (its result is dropped)."""
    mine = PanelJob.objects.filter(pk=job.pk, claim=token, status=JobStatus.RUNNING)
    fields = {"status": JobStatus.DONE, "error": "", "finished_at": timezone.now(), "claim": ""}
    if output is None:
        fields.update(status=JobStatus.FAILED, error=error)
    elif job.kind == JobKind.HEAD_TO_HEAD:
        picked = job.tool if output.pick == "first" else job.other_tool
        fields["answer"] = {
            "pick": output.pick,
            "pick_tool_id": picked.pk,
            "pick_tool": picked.slug,
            "for_whom": output.for_whom,
            "reason": output.reason,
        }
    else:
        # Kept on the job too: a counterfactual writes no review, and is compared by this.
        fields["answer"] = {"verdict": output.verdict, "confidence": output.confidence}
    # Updating first takes the row; if the review cannot be written, both roll back.
    if not mine.update(**fields):
        return False
    if output is None or job.is_counterfactual:
        return True
    # Steered material: the answer is held until it is asked again without the vendor's text.
    steered = job_is_steered(job)
    if steered:
        counterfactual_queue(job=job)
    if job.kind == JobKind.REVIEW:
        review = review_create(
            tool=job.tool,
            persona=job.persona,
            verdict=output.verdict,
            body=output.review,
            confidence=output.confidence,
            author=f"{job.persona.name} (panel)",
            model_id=job.model_id,
            prompt_version=request.prompt_version,
            lens_fields=output.lens.model_dump(),
            evidence=output.evidence,
            run=job.run,
            # The model was told about these and kept them through its retries.
            flags=request.evidence.flags(output),
            hold=Hold.PENDING if steered else Hold.NONE,
            hold_reason=PENDING_REASON if steered else "",
        )
        review_history_record(review=review, dossier=request.dossier)
    return True


def panel_job_execute(
    *,
    job_id: int,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> bool:
    """Do one persona's call: claim the job, call the model with retries and backoff within the
    budget, and store the result. False when the job was not ours to do."""
    token = uuid.uuid4().hex
    if not panel_job_claim(job_id=job_id, token=token):
        return False
    config = PanelSettings.load()
    rng = rng or random.Random()
    job = PanelJob.objects.select_related(
        "persona",
        "run",
        "tool__vendor",
        "tool__category",
        "other_tool__vendor",
        "other_tool__category",
    ).get(pk=job_id)
    if job.run.status == RunStatus.QUEUED:
        PanelRun.objects.filter(pk=job.run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING
        )
    try:
        request = job_request_build(job, dossier_max_chars=config.dossier_max_chars)
        resolved = model_resolve(job.model_id, config=config.llm)
    except Exception as error:
        # Left running, a job that cannot even be built would be resumed by the sweeper forever.
        logger.exception("panel job %s cannot be built", job_id)
        panel_job_finish(
            job=job, token=token, request=None, output=None, error=f"No verdict: {error}"
        )
        job_follow_up(job=job, sleep=sleep, rng=rng)
        return True
    last_error = ""
    while True:
        if job.attempts >= config.max_attempts:
            # A job resumed after a crash may have spent its attempts in an earlier life.
            last_error = (
                last_error or job.calls.order_by("-attempt").values_list("error", flat=True).first()
            )
            error = f"No verdict after {job.attempts} attempts. Last error: {last_error}"
            panel_job_finish(job=job, token=token, request=request, output=None, error=error)
            break
        call = llm_call_reserve(job=job, token=token, request=request, config=config)
        if call is None:
            break
        # A resolved model serves one call: its connections close when the call ends.
        resolved = resolved or model_resolve(job.model_id, config=config.llm)
        outcome = call_structured_sync(
            resolved,
            output_type=request.output_type,
            instructions=request.instructions,
            prompt=request.prompt,
            timeout=config.timeout,
            output_retries=config.output_retries,
            max_output_tokens=config.max_output_tokens,
            output_check=request.evidence.problems if request.evidence else None,
        )
        resolved = None
        llm_call_record(call=call, outcome=outcome, config=config)
        if outcome.output is not None:
            panel_job_finish(job=job, token=token, request=request, output=outcome.output)
            break
        last_error = outcome.error
        if not outcome.transient:
            error = f"No verdict: {outcome.error}"
            panel_job_finish(job=job, token=token, request=request, output=None, error=error)
            break
        delay = backoff_delay(
            attempt=job.attempts,
            base=config.backoff_base,
            cap=config.backoff_cap,
            retry_after=outcome.retry_after,
            rng=rng,
        )
        if delay > config.max_wait:
            error = (
                f"No verdict: the server asked us to wait {delay:.0f}s, more than "
                f"VERDICTS_PANEL_MAX_WAIT ({config.max_wait:.0f}s). Last error: {outcome.error}"
            )
            panel_job_finish(job=job, token=token, request=request, output=None, error=error)
            break
        sleep(delay)
    job_follow_up(job=job, sleep=sleep, rng=rng)
    return True


def job_follow_up(*, job: PanelJob, sleep: Callable[[float], None], rng: random.Random) -> None:
    """After a job: a counterfactual settles its original's hold; an original whose answer
    queued a counterfactual asks it here at once (the sweeper finds it if this process dies
    first). Then the run's status."""
    if job.is_counterfactual:
        counterfactual_settle(job_id=job.pk)
    else:
        follow = PanelJob.objects.filter(counterfactual_of=job, status=JobStatus.QUEUED)
        follow_id = follow.values_list("pk", flat=True).first()
        if follow_id is not None:
            panel_job_execute(job_id=follow_id, sleep=sleep, rng=rng)
    panel_run_refresh(run_id=job.run_id)


def panel_jobs_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Find work a dead worker left behind: running jobs past their lease go back to the queue.
    Returns every queued job of an active run that has waited longer than a lease, to enqueue."""
    config = PanelSettings.load()
    now = now or timezone.now()
    stale = now - config.lease
    with transaction.atomic():
        lost = list(
            # The jobs' own rows only, in one order: the model's default ordering would join
            # (and so lock) persona and tool rows that a review being saved also holds.
            PanelJob.objects.select_for_update(of=("self",))
            .filter(status=JobStatus.RUNNING, claimed_at__lt=stale)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        PanelJob.objects.filter(pk__in=lost).update(status=JobStatus.QUEUED, claim="")
        # The provider may have billed the lost call: count it at its estimate.
        LlmCall.objects.filter(job__in=lost, status=LlmCall.Status.RESERVED).update(
            status=LlmCall.Status.ERROR,
            cost_usd=F("estimated_cost_usd"),
            error="The worker stopped during this call; its cost is counted at the estimate.",
        )
    waiting = PanelJob.objects.filter(
        status=JobStatus.QUEUED, run__status__in=ACTIVE_RUN_STATUSES
    ).filter(Q(claimed_at__lt=stale) | Q(claimed_at__isnull=True, created_at__lt=stale))
    return list(waiting.values_list("pk", flat=True))


def panel_run_execute_local(*, run_id: int, concurrency: int) -> list[int]:
    """Do a run's queued jobs in this process, concurrently: for when no worker is running.

    A job that raises (a database error, not a model's failure, which the job records itself)
    is logged and left claimed, for the sweeper to requeue after its lease; the others go on.
    Returns the ids of the jobs that raised.
    """
    job_ids = list(
        PanelJob.objects.filter(run_id=run_id, status=JobStatus.QUEUED).values_list("pk", flat=True)
    )
    failed: list[int] = []

    def work(job_id: int) -> None:
        try:
            panel_job_execute(job_id=job_id)
        except Exception:
            logger.exception("Panel job %s raised; it is retried after its lease.", job_id)
            failed.append(job_id)
        finally:
            connection.close()

    if job_ids:
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(job_ids)))) as pool:
            list(pool.map(work, job_ids))
    panel_run_refresh(run_id=run_id)
    return sorted(failed)
