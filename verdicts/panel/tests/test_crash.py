"""Kill a real `verdicts panel run` process mid-call; the sweeper and --resume finish the run."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pydantic_ai.models import override_allow_model_requests

from testkit.processes import verdicts_env, verdicts_kill_mid_call
from verdicts.llm.testing import FakeLLMServer, Reply
from verdicts.panel.models import JobStatus, LlmCall, PanelJob, PanelRun, Review, RunStatus
from verdicts.panel.services.jobs import panel_jobs_sweep


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_call_is_taken_back_and_finished_once(
    tmp_path, panel_settings, builder, tool
):
    with FakeLLMServer() as fake, override_allow_model_requests(True):
        model = f"{fake.openai_base_url}#fake-model"
        panel_settings.VERDICTS_PANEL_MODEL = model
        fake.add(Reply(delay=60))
        env = verdicts_env(
            tmp_path,
            VERDICTS_PANEL_MODEL=model,
            VERDICTS_PANEL_TIMEOUT="120",
            VERDICTS_PANEL_WORKER_WAIT="0",
        )
        verdicts_kill_mid_call(["panel", "run", tool.slug], env=env, requests=fake.requests)

        job = PanelJob.objects.get()
        assert job.status == JobStatus.RUNNING and job.attempts == 1
        assert PanelRun.objects.get().status == RunStatus.RUNNING
        assert panel_jobs_sweep() == []  # its lease has not run out yet
        later = timezone.now() + datetime.timedelta(hours=1)
        assert panel_jobs_sweep(now=later) == [job.pk]

        output = StringIO()
        call_command("panel", "run", "--resume", stdout=output, stderr=StringIO())

    run = PanelRun.objects.get()
    job.refresh_from_db()
    assert run.status == RunStatus.DONE, output.getvalue()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert Review.objects.filter(tool=tool, persona=builder, run=run).count() == 1
    assert list(LlmCall.objects.order_by("attempt").values_list("status", flat=True)) == [
        "error",
        "ok",
    ]
