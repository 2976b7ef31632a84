"""Kill a real `verdicts panel run` process mid-call; the sweeper and --resume finish the run."""

import datetime
import os
import signal
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from pydantic_ai.models import override_allow_model_requests

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end
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
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "verdicts.settings",
            "DATABASE_URL": subprocess_database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "VERDICTS_VAR_DIR": str(tmp_path),
            "VERDICTS_PANEL_MODEL": model,
            "VERDICTS_PANEL_TIMEOUT": "120",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "verdicts.cli", "panel", "run", tool.slug],
            env=env | {"VERDICTS_PANEL_WORKER_WAIT": "0"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not fake.requests:
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the panel never called the model"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        wait_for_other_sessions_to_end()

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
