"""Two steered reviews of one tool finishing at the same moment: each queues its counterfactual
and writes its review, held, and neither is lost. Both finishing transactions lock the tool
(review_create) after inserting the counterfactual that refers to it; Django's foreign keys on
PostgreSQL are checked at commit (DEFERRABLE INITIALLY DEFERRED), so the insert takes no lock on
the tool that the other's FOR UPDATE would wait behind. A reordering that made the check
immediate would deadlock here."""

import contextlib
import threading

import pytest
from django.db import connection
from pydantic_ai.models import override_allow_model_requests

from testkit.audit import CLEAN, FakeJudgeServer
from verdicts.panel.models import Hold, JobStatus, PanelJob, Review
from verdicts.panel.services import jobs, runs
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.test_holds import steered_tool


@pytest.mark.django_db(transaction=True)
def test_two_steered_reviews_finishing_together_both_keep_their_answer(
    panel_settings, builder, skeptic, monkeypatch
):
    tool = steered_tool()
    # Both finishing transactions meet just before the review is written (the counterfactual
    # queued already); a barrier that times out lets one that is made to wait go on alone.
    meet = threading.Barrier(2, timeout=3)
    review_create = jobs.review_create

    def review_create_together(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait()
        return review_create(**kwargs)

    monkeypatch.setattr(jobs, "review_create", review_create_together)
    # No worker takes the jobs (the test's queue would run them at once, one after the other),
    # and the counterfactuals stay queued: only the two originals' finishing is under test.
    monkeypatch.setattr(runs, "jobs_enqueue", lambda job_ids: None)
    monkeypatch.setattr(jobs, "job_follow_up", lambda **kwargs: None)
    errors: list[BaseException] = []

    with FakeJudgeServer(modes={"clean": CLEAN}) as judge, override_allow_model_requests(True):
        run, _ = panel_run_create(
            tools=[tool], personas=[builder, skeptic], model=judge.model("clean")
        )
        job_ids = list(run.jobs.values_list("pk", flat=True))
        assert len(job_ids) == 2

        def work(job_id: int) -> None:
            try:
                jobs.panel_job_execute(job_id=job_id, sleep=lambda seconds: None)
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(job_id,)) for job_id in job_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    originals = PanelJob.objects.filter(pk__in=job_ids)
    ended = [(job.status, job.hold, job.attempts, job.error) for job in originals]
    assert {job.status for job in originals} == {JobStatus.DONE}, ended
    assert {job.hold for job in originals} == {Hold.PENDING}, ended
    queued = PanelJob.objects.filter(counterfactual_of__in=job_ids, status=JobStatus.QUEUED)
    assert queued.count() == 2
    assert Review.objects.filter(run=run, hold=Hold.PENDING).count() == 2
