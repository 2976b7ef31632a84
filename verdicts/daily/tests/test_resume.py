"""A run whose process died is resumed by the next start, which does each item exactly once;
while its process lives, a second start leaves it alone."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.daily.models import DailyRun, DailyStatus
from verdicts.daily.pipeline import daily_run_execute
from verdicts.daily.selectors import daily_run_stale_exists
from verdicts.panel.models import JobStatus, LlmCall, PanelJob, PanelRun
from verdicts.panel.services.jobs import panel_run_execute_local


class Killed(BaseException):
    """Stands for SIGKILL: nothing below it catches it, no cleanup of ours runs."""


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_panel_is_resumed_and_every_item_is_done_once(
    pipeline, feed, no_worker, monkeypatch
):
    calls: list[int] = []

    def dies_on_the_second_panel_run(*, run_id, concurrency):
        calls.append(run_id)
        if len(calls) == 2:
            raise Killed
        panel_run_execute_local(run_id=run_id, concurrency=concurrency)

    monkeypatch.setattr(
        "verdicts.daily.steps.panel.panel_run_execute_local", dies_on_the_second_panel_run
    )
    with pytest.raises(Killed):
        daily_run_execute()
    run = DailyRun.objects.get()
    assert (run.status, run.step) == (DailyStatus.RUNNING, "head-to-head")
    assert PanelJob.objects.filter(status=JobStatus.QUEUED).count() == 4  # the second run's

    out = io.StringIO()
    call_command("daily", stdout=out)
    assert "is under way (step head-to-head" in out.getvalue()  # its heartbeat is fresh
    assert not daily_run_stale_exists()

    DailyRun.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    assert daily_run_stale_exists()
    monkeypatch.setattr(
        "verdicts.daily.steps.panel.panel_run_execute_local", panel_run_execute_local
    )
    feed_reads = sum(1 for request, _ in feed.log if request.path == "/feed.xml")
    lines: list[str] = []

    outcome = daily_run_execute(say=lines.append)

    assert outcome.resumed and outcome.run.pk == run.pk
    assert lines[0] == f"Resuming daily run {run.pk}, stopped at step head-to-head."
    assert DailyRun.objects.get().status == DailyStatus.ERRORS  # the broken source, only
    assert sum(1 for request, _ in feed.log if request.path == "/feed.xml") == feed_reads
    assert PanelRun.objects.count() == 3 and Comparison.objects.count() == 2
    assert set(PanelJob.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    assert set(PanelJob.objects.values_list("attempts", flat=True)) == {1}
    assert LlmCall.objects.count() == PanelJob.objects.count() == 1 + 4 + 4
    assert outcome.summary["reviews"]["written"] == 5
    assert outcome.summary["comparisons"]["published"] == ["acme-coder-vs-cursor"]


@pytest.mark.django_db(transaction=True)
def test_status_lists_the_latest_runs_newest_first_with_their_summaries(pipeline):
    first, second = daily_run_execute().run, daily_run_execute().run
    out = io.StringIO()

    call_command("daily", "status", stdout=out)

    lines = out.getvalue().splitlines()
    runs = [line for line in lines if "Done with errors" in line]
    assert [line.split()[0] for line in runs] == [str(second.pk), str(first.pk)]
    assert "publish auto" in runs[0]
    assert "       Tools: 3 created, 0 updated, 0 unchanged, 0 refused" in lines
