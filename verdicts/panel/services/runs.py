"""Runs of the panel: queueing one with its jobs, and settling its status from theirs."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.panel.models import (
    ACTIVE_RUN_STATUSES,
    JobKind,
    JobStatus,
    PanelJob,
    PanelRun,
    Persona,
    RunStatus,
)
from verdicts.panel.services.config import (
    job_model_choose,
    panel_models_check,
    panel_models_configured,
)
from verdicts.panel.services.holds import held_answers_settle


def run_key(*, tools: list[Tool], personas: list[Persona], model: str, head_to_head: bool) -> str:
    """What makes two runs the same run: their tools, personas, model and question."""
    raw = json.dumps(
        [sorted(t.pk for t in tools), sorted(p.pk for p in personas), model, head_to_head]
    )
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def panel_run_create(
    *,
    tools: list[Tool],
    personas: list[Persona] | None = None,
    model: str = "",
    head_to_head: bool = True,
    requested_by: str = "",
) -> tuple[PanelRun, bool]:
    """Queue a run: each persona reviews each tool; for a compared pair each persona also picks
    one, asked in both orders. Returns the already active identical run instead of a duplicate."""
    tools = list(dict.fromkeys(tools))
    personas = list(dict.fromkeys(personas if personas is not None else Persona.objects.active()))
    if not tools:
        raise ValidationError("Name at least one tool.")
    if not personas:
        raise ValidationError("There are no active personas to ask.")
    models_by_persona = panel_models_check(personas=personas, model=model)
    # A model named for the run is the only one it may use; otherwise any configured one.
    fallbacks = [model] if model else panel_models_configured(chosen=models_by_persona)
    prefetch_related_objects(tools, "vendor")
    key = run_key(tools=tools, personas=personas, model=model, head_to_head=head_to_head)
    active = PanelRun.objects.filter(key=key, status__in=ACTIVE_RUN_STATUSES).first()
    if active is not None:
        return active, False
    run = PanelRun(model=model, key=key, requested_by=requested_by)
    run.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        # Another process queued the same run a moment ago: that one stands.
        return PanelRun.objects.get(key=key, status__in=ACTIVE_RUN_STATUSES), False
    run.tools.set(tools)
    run.personas.set(personas)

    def job(persona: Persona, *judged: Tool, **fields) -> PanelJob:
        """A job on the first configured model not made by a maker of the judged tools; when
        every one is, the job is finished at once, skipped, with the reason."""
        choice = job_model_choose(
            candidates=[models_by_persona[persona.pk], *fallbacks], tools=judged
        )
        if choice.skipped:
            fields.update(status=JobStatus.FAILED, error=choice.skipped, finished_at=timezone.now())
        return PanelJob(run=run, persona=persona, tool=judged[0], model_id=choice.model, **fields)

    jobs = [job(persona, tool) for persona in personas for tool in tools]
    if head_to_head and len(tools) == 2 and comparison_exists(tools[0], tools[1]):
        jobs += [
            job(persona, first, second, kind=JobKind.HEAD_TO_HEAD, other_tool=second)
            for persona in personas
            for first, second in (tools, tools[::-1])
        ]
    PanelJob.objects.bulk_create(jobs)
    job_ids = list(run.jobs.filter(status=JobStatus.QUEUED).values_list("pk", flat=True))
    if job_ids:
        transaction.on_commit(lambda: jobs_enqueue(job_ids))
    else:
        run_status_settle(run_id=run.pk)
    return run, True


def comparison_exists(tool_a: Tool, tool_b: Tool) -> bool:
    """Whether the two tools are compared, in either order."""
    return Comparison.objects.filter(
        tool_a__in=[tool_a, tool_b], tool_b__in=[tool_a, tool_b]
    ).exists()


def jobs_enqueue(job_ids: list[int]) -> None:
    """Hand the jobs to the background workers."""
    # Imported here: the tasks module imports this one.
    from verdicts.panel.tasks import panel_job

    for job_id in job_ids:
        panel_job(job_id)


def panel_run_refresh(*, run_id: int) -> None:
    """Set a run's status from its jobs' once none is left to do."""
    # Each job commits its result before it looks, so whichever finishes last sees them all.
    unfinished = (JobStatus.QUEUED, JobStatus.RUNNING)
    if PanelJob.objects.filter(run_id=run_id, status__in=unfinished).exists():
        return
    # Counterfactuals a budget stop skipped settled nothing themselves: their originals' holds.
    held_answers_settle(run_id=run_id)
    run_status_settle(run_id=run_id)


@transaction.atomic
def run_status_settle(*, run_id: int) -> PanelRun:
    """Set a run's status from its jobs'."""
    run = PanelRun.objects.select_for_update().get(pk=run_id)
    # A counterfactual's answer (or none) shows on its original's hold; on the run, only while
    # it is unfinished or when the budget stopped it.
    rows = (
        run.jobs.values("status")
        .annotate(
            n=Count("id", filter=Q(counterfactual_of__isnull=True)),
            counterfactuals=Count("id", filter=Q(counterfactual_of__isnull=False)),
        )
        .values_list("status", "n", "counterfactuals")
        .order_by()
    )
    counts = {}
    for job_status, n, counterfactuals in rows:
        if job_status not in (JobStatus.DONE, JobStatus.FAILED):
            n += counterfactuals
        if n:
            counts[job_status] = n
    total = sum(counts.values())
    if counts.get(JobStatus.QUEUED, 0) + counts.get(JobStatus.RUNNING, 0):
        status = RunStatus.RUNNING if len(counts) > 1 or JobStatus.RUNNING in counts else run.status
        finished_at = None
    else:
        done = counts.get(JobStatus.DONE, 0)
        if counts.get(JobStatus.SKIPPED):
            status = RunStatus.STOPPED
        elif done == total:
            status = RunStatus.DONE
        elif done == 0:
            status = RunStatus.FAILED
        else:
            status = RunStatus.PARTIAL
        finished_at = run.finished_at or timezone.now()
    if (status, finished_at) != (run.status, run.finished_at):
        run.status, run.finished_at = status, finished_at
        run.save(update_fields=["status", "finished_at"])
    return run


def panel_run_requeue(*, run_id: int) -> None:
    """Mark a running run queued again, so that whoever follows it next does its jobs."""
    PanelRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(status=RunStatus.QUEUED)
