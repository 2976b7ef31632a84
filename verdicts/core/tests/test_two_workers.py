"""Two real `verdicts worker` processes on PostgreSQL and Huey's Redis queue: a panel run and a
digest send are each done exactly once between them, and a worker killed mid-run loses nothing.

Runs in CI's PostgreSQL pass (Redis at 127.0.0.1:6379, database 7); skipped elsewhere.
"""

import datetime
import re
import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from testkit.panel import DESCRIPTION
from testkit.subprocesses import wait_for_other_sessions_to_end
from testkit.workers import REDIS_URL, Workers, redis_answers, wait_for, workers_running
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.digest.models import Delivery, Issue
from verdicts.digest.services.issues import issue_build
from verdicts.digest.tests.factories import SubscriberFactory
from verdicts.llm.testing import prompt_text
from verdicts.panel.models import JobStatus, LlmCall, PanelJob, PanelRun, Review, RunStatus
from verdicts.panel.tests.factories import PersonaFactory

PANEL_JOB = "verdicts.panel.tasks.panel_job"
DIGEST_SEND = "verdicts.digest.tasks.digest_send_task"
READERS = 40
SENT_LINE = re.compile(r"Digest #1: (\d+) sent")
DONE_LINE = re.compile(rf"{re.escape(PANEL_JOB)}: (\S+) executed in")


@pytest.fixture
def workers(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): the deployment with several "
            "workers this test stands for runs on PostgreSQL"
        )
    if not redis_answers():
        pytest.skip(f"needs Redis at {REDIS_URL} for Huey's queue")
    with workers_running(tmp_path) as running:
        yield running
    # The killed workers' sessions must be gone before the database is flushed.
    wait_for_other_sessions_to_end()


def critics_and_tools() -> tuple[list, list[str]]:
    """Three personas and four tools: twelve review jobs, no head-to-head."""
    personas = [PersonaFactory(slug=f"critic-{n}", name=f"Critic {n}") for n in range(3)]
    tools = [ToolFactory(name=f"Subject {n}", description=DESCRIPTION) for n in range(4)]
    return personas, [tool.slug for tool in tools]


def asked(request: dict) -> tuple[str, str]:
    """Which persona a model request is for, and about which tool."""
    persona = re.search(r"Critic \d", prompt_text(request, roles=("system", "developer")))
    tool = re.search(r"Subject \d", prompt_text(request))
    assert persona and tool, request
    return persona.group(), tool.group()


def assert_one_review_per_job(run: PanelRun, personas: list, slugs: list[str]) -> None:
    pairs = Counter(Review.objects.filter(run=run).values_list("persona__slug", "tool__slug"))
    assert pairs == Counter({(p.slug, slug): 1 for p in personas for slug in slugs})
    assert set(run.jobs.values_list("status", flat=True)) == {JobStatus.DONE}


@pytest.mark.django_db(transaction=True)
def test_two_workers_do_each_panel_job_and_send_each_mail_exactly_once(workers: Workers):
    personas, slugs = critics_and_tools()
    ComparisonFactory()
    readers = SubscriberFactory.create_batch(READERS)
    issue_build()
    workers.fake.delay = 0.2
    # Slow enough mail that the two sends below overlap.
    workers.smtp.delay = 0.05
    workers.start("first", "second")

    # Two sends of one issue, queued at once: two senders share its outbox.
    sends = [workers.popen("digest", "send", "1", "--no-wait") for _ in range(2)]
    for send in sends:
        output, _ = send.communicate(timeout=60)
        assert send.returncode == 0 and "Queued issue #1" in output, output
    # Waits for the workers to finish the run; never does a job itself.
    output = workers.run("panel", "run", *slugs, "--wait-for-worker", "600")
    run = PanelRun.objects.get()
    assert f"Run {run.pk}: Done." in output, output
    wait_for(lambda: Issue.objects.get(number=1).status == Issue.Status.SENT, what="the digest")

    assert run.status == RunStatus.DONE
    assert_one_review_per_job(run, personas, slugs)
    jobs = PanelJob.objects.filter(run=run)
    assert set(jobs.values_list("attempts", flat=True)) == {1}
    calls = Counter(LlmCall.objects.values_list("job_id", "status"))
    assert calls == Counter({(job.pk, LlmCall.Status.OK): 1 for job in jobs})
    requests = Counter(asked(request) for request in workers.fake.requests)
    assert requests == Counter({(p.name, f"Subject {n}"): 1 for p in personas for n in range(4)})

    # Huey handed each task to one worker only, and both took a share of the run.
    first, second = (workers.executed(label, PANEL_JOB) for label in ("first", "second"))
    assert first and second, "both workers must take part"
    assert len(first + second) == len(set(first + second)) == jobs.count()
    senders = workers.executed("first", DIGEST_SEND) + workers.executed("second", DIGEST_SEND)
    assert len(set(senders)) == 2

    assert workers.smtp.per_recipient() == Counter({reader.email: 1 for reader in readers})
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    # The issue reads sent once the last row is; the other sender logs its line a moment later.
    wait_for(
        lambda: len(SENT_LINE.findall(workers.log("first") + workers.log("second"))) == 2,
        what="both senders' summaries",
    )
    logs = workers.log("first") + workers.log("second")
    shares = [int(sent) for sent in SENT_LINE.findall(logs)]
    # Both senders ran; how the readers split between them is the scheduler's business (one
    # may claim every row before the other starts), but together they sent each mail once.
    assert len(shares) == 2 and sum(shares) == len(readers), f"senders' shares: {shares}"
    assert sum(shares) == READERS, "no message was sent by both"
    assert "Traceback" not in logs, logs


def idle(workers: Workers, label: str) -> bool:
    """The queue is empty and this worker has finished every task it started, twice in a row
    (a task taken from the queue is logged a moment later)."""

    def once() -> bool:
        started = set(workers.executed(label, PANEL_JOB))
        return workers.queued() == 0 and started <= set(DONE_LINE.findall(workers.log(label)))

    if not once():
        return False
    time.sleep(0.5)
    return once()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_loses_no_job_and_duplicates_no_review(workers: Workers):
    personas, slugs = critics_and_tools()
    # Long enough calls that the kill finds the first worker inside some of them.
    workers.fake.delay = 1.0
    workers.start("first", "second")
    follower = workers.popen("panel", "run", *slugs, "--wait-for-worker", "600")

    def first_is_calling() -> bool:
        started = workers.executed("first", PANEL_JOB)
        finished = DONE_LINE.findall(workers.log("first"))
        return len(started) - len(finished) >= 2 and len(workers.fake.requests) >= 4

    wait_for(first_is_calling, what="the first worker to be in the middle of its calls")
    workers.kill("first")
    wait_for(lambda: idle(workers, "second"), what="the survivor to finish what it can")

    run = PanelRun.objects.get()
    lost = set(run.jobs.exclude(status=JobStatus.DONE).values_list("pk", flat=True))
    assert lost, "the kill must leave jobs unfinished"
    assert run.status == RunStatus.RUNNING
    assert Review.objects.filter(run=run).count() == run.jobs.count() - len(lost)

    # An hour passes: the lost jobs' lease (a minute or more) runs out without the test waiting
    # it out. The killed worker comes back, as a service manager restarts it; its sweeper runs
    # as it starts (then every minute), takes the lost jobs back and queues them again.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    PanelJob.objects.filter(pk__in=lost).update(claimed_at=an_hour_ago, created_at=an_hour_ago)
    workers.start("restarted")
    output, _ = follower.communicate(timeout=120)
    assert follower.returncode == 0 and f"Run {run.pk}: Done." in output, output

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert_one_review_per_job(run, personas, slugs)
    calls = Counter(LlmCall.objects.values_list("job_id", flat=True))
    for job in run.jobs.all():
        if job.pk in lost:
            # The call in flight at the kill is counted (and may be billed); one more finished it.
            assert 1 <= calls[job.pk] <= 2 and job.attempts == calls[job.pk]
        else:
            assert calls[job.pk] == 1 and job.attempts == 1
    stopped = LlmCall.objects.filter(job_id__in=lost, status=LlmCall.Status.ERROR)
    assert all("worker stopped" in call.error for call in stopped)
    assert len(workers.fake.requests) <= sum(calls.values())
    logs = workers.log("second") + workers.log("restarted")
    assert "Traceback" not in logs, logs
