"""Executing jobs: one validated review each, retries, claims, and the sweeper."""

import datetime
from functools import partial

import pytest
from django.utils import timezone

from testkit.concurrency import threads_race
from testkit.panel import execute_all, review_answer, valid
from verdicts.panel.models import JobStatus, LlmCall, PanelJob, PanelRun, Review, RunStatus
from verdicts.panel.services.editorial import review_create
from verdicts.panel.services.jobs import (
    panel_job_execute,
    panel_jobs_sweep,
    panel_run_execute_local,
)
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tasks import panel_sweep


@pytest.mark.django_db
def test_a_run_writes_one_validated_review_per_persona_with_provenance(
    script, builder, skeptic, tool
):
    script.default = valid
    run, created = panel_run_create(tools=[tool], personas=[builder, skeptic])
    assert created and run.jobs.count() == 2
    execute_all(run)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.finished_at
    reviews = {r.persona.slug: r for r in Review.objects.current().filter(tool=tool)}
    assert set(reviews) == {"builder", "skeptic"}
    builder_review = reviews["builder"]
    assert builder_review.model_id == "script:test"
    assert builder_review.prompt_version.startswith("review.")
    assert builder_review.run == run
    assert set(builder_review.lens_fields) == {
        "primitive",
        "developer_experience_bet",
        "first_ten_minutes",
    }
    assert set(reviews["skeptic"].lens_fields) >= {"competitors", "what_kills_it"}
    assert builder_review.evidence and builder_review.flags == []
    calls = LlmCall.objects.filter(job__run=run)
    assert calls.count() == 2
    assert all(c.status == LlmCall.Status.OK and c.input_tokens > 0 for c in calls)
    assert all(c.prompt_version.startswith("review.") for c in calls)


@pytest.mark.django_db
def test_invalid_output_goes_back_to_the_model_and_a_valid_retry_is_kept(script, builder, tool):
    bad = review_answer("builder") | {"verdict": "maybe"}
    script.then(bad, valid)
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    review = Review.objects.current().get(tool=tool, persona=builder)
    assert review.verdict == "ship"
    retry_messages, _ = script.seen[1]
    [returned] = retry_messages[-1].parts
    assert returned.outcome == "retried"
    assert "Input should be 'ship' or 'skip'" in str(returned.content)
    assert LlmCall.objects.get().attempt == 1


@pytest.mark.django_db
def test_output_that_stays_invalid_gives_no_verdict_and_keeps_the_current_review(
    script, builder, tool
):
    editorial = review_create(tool=tool, persona=builder, verdict="skip", body="Editors say.")
    too_short = review_answer("builder", words=20)
    script.default = lambda messages, info: too_short
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    job = run.jobs.get()
    assert job.status == JobStatus.FAILED
    assert "invalid output" in job.error
    editorial.refresh_from_db()
    assert editorial.is_current
    assert Review.objects.filter(tool=tool).count() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED


@pytest.mark.django_db
def test_a_job_done_once_is_not_done_again(script, builder, tool):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    job = run.jobs.get()
    assert panel_job_execute(job_id=job.pk)
    assert not panel_job_execute(job_id=job.pk)
    assert Review.objects.filter(tool=tool).count() == 1
    assert LlmCall.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_job_write_one_review(script, no_worker, builder, tool):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    job = run.jobs.get()

    raced = threads_race([partial(panel_job_execute, job_id=job.pk)] * 4)
    assert raced.errors == []
    assert sorted(raced.results) == [False, False, False, True]
    assert Review.objects.filter(tool=tool).count() == 1
    assert LlmCall.objects.count() == 1


@pytest.mark.django_db
def test_a_worker_killed_mid_job_leaves_it_to_the_sweeper_which_resumes_it(
    script, builder, skeptic, tool
):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    dead, alive = run.jobs.order_by("persona__position")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    PanelJob.objects.filter(pk=dead.pk).update(
        status=JobStatus.RUNNING, claim="dead-worker", claimed_at=long_ago, attempts=1
    )
    PanelJob.objects.filter(pk=alive.pk).update(
        status=JobStatus.RUNNING, claim="busy-worker", claimed_at=timezone.now()
    )
    PanelRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)

    assert panel_jobs_sweep() == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.QUEUED and alive.status == JobStatus.RUNNING
    assert panel_job_execute(job_id=dead.pk)
    dead.refresh_from_db()
    assert dead.status == JobStatus.DONE and dead.attempts == 2
    assert Review.objects.filter(persona=builder).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_swept_workers_late_result_is_dropped(script, no_worker, builder, tool):
    """The slow worker's claim was taken back; its answer must not make a second review."""

    def sweep():
        PanelJob.objects.update(status=JobStatus.QUEUED, claim="")

    def slow_then_swept(messages, info):
        # The model answers inside an event loop, where Django refuses queries: use a thread.
        assert threads_race([sweep]).errors == []
        return valid(messages, info)

    script.then(slow_then_swept)
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    panel_job_execute(job_id=run.jobs.get().pk)
    assert not Review.objects.exists()
    assert run.jobs.get().status == JobStatus.QUEUED


@pytest.mark.django_db
def test_the_workers_periodic_sweep_requeues_and_finishes_a_stale_job(script, builder, tool):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    PanelJob.objects.update(
        status=JobStatus.RUNNING,
        claim="dead-worker",
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    panel_sweep()  # test settings run Huey tasks immediately, as a worker would
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert Review.objects.filter(run=run).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_that_raises_here_leaves_the_others_done_and_is_named(
    script, no_worker, builder, skeptic, tool, monkeypatch
):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    broken = run.jobs.get(persona=skeptic)
    real = panel_job_execute

    def raising(*, job_id, **kwargs):
        if job_id == broken.pk:
            raise RuntimeError("the database went away")
        return real(job_id=job_id, **kwargs)

    monkeypatch.setattr("verdicts.panel.services.jobs.panel_job_execute", raising)
    assert panel_run_execute_local(run_id=run.pk, concurrency=2) == [broken.pk]
    assert Review.objects.current().filter(tool=tool, persona=builder).exists()
    run.refresh_from_db()
    assert run.jobs.filter(status=JobStatus.DONE).count() == 1
