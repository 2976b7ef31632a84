"""`verdicts daily` and `verdicts daily status` as real processes, and one killed mid-call."""

import datetime
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from pydantic_ai.models import override_allow_model_requests

from testkit.processes import verdicts_env, verdicts_kill_mid_call
from testkit.subprocesses import wait_for_other_sessions_to_end
from verdicts.catalog.tests.factories import CategoryFactory
from verdicts.daily.models import DailyRun, DailyStatus
from verdicts.ingest.import_sources import import_source_add
from verdicts.ingest.tests.test_importers_file import entry
from verdicts.llm.testing import FakeLLMServer, Reply
from verdicts.panel.models import JobStatus, LlmCall, PanelJob, Review
from verdicts.panel.tests.factories import PersonaFactory

# Registries a test must not reach: the fetcher refuses these before sending anything.
NO_REGISTRIES = {
    "VERDICTS_GITHUB_API_URL": "http://127.0.0.1:9",
    "VERDICTS_HF_API_URL": "http://127.0.0.1:9",
    "VERDICTS_PACKAGE_INDEX_URL": "http://127.0.0.1:9",
}


@pytest.fixture
def source(db, tmp_path):
    CategoryFactory(slug="coding-assistants", name="Coding assistants")
    PersonaFactory(slug="builder", name="Builder")
    path = tmp_path / "tools.json"
    path.write_text(json.dumps([entry("acme-coder", description="Acme Coder writes code.")]))
    import_source_add(target=str(path))
    return path


def daily(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "daily", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_the_real_commands_run_the_pipeline_and_list_it(tmp_path, source):
    with FakeLLMServer() as fake:
        model = f"{fake.openai_base_url}#fake-model"
        env = verdicts_env(tmp_path, **NO_REGISTRIES, VERDICTS_PANEL_MODEL=model)
        first = daily(env)
        requests = len(fake.requests)
        second = daily(env)
        status = daily(env, "status")
    wait_for_other_sessions_to_end()

    assert first.returncode == 0, first.stdout + first.stderr
    assert "created acme-coder" in first.stdout
    assert "Reviews: 1 written in 1 panel run(s), $0.0000 spent" in first.stdout
    assert "Errors: 0" in first.stdout
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Tools: 0 created, 0 updated, 1 unchanged, 0 refused" in second.stdout
    assert "Reviews: 0 written in 0 panel run(s)" in second.stdout
    assert requests and len(fake.requests) == requests  # the second run asked no model
    assert status.returncode == 0, status.stderr
    assert status.stdout.count("Done  publish review") == 2, status.stdout
    assert Review.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_call_is_resumed_by_the_next_and_the_call_is_made_once(
    tmp_path, source, panel_settings
):
    with FakeLLMServer() as fake, override_allow_model_requests(True):
        model = f"{fake.openai_base_url}#fake-model"
        panel_settings.VERDICTS_PANEL_MODEL = model
        fake.add(Reply(delay=60))
        env = verdicts_env(
            tmp_path, **NO_REGISTRIES, VERDICTS_PANEL_MODEL=model, VERDICTS_PANEL_TIMEOUT="120"
        )
        verdicts_kill_mid_call(["daily"], env=env, requests=fake.requests, timeout=90)

        run = DailyRun.objects.get()
        assert (run.status, run.step) == (DailyStatus.RUNNING, "panel")
        assert PanelJob.objects.get().status == JobStatus.RUNNING
        # An hour later: the run's heartbeat and the job's claim have both run out.
        an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
        DailyRun.objects.update(heartbeat_at=an_hour_ago)
        PanelJob.objects.update(claimed_at=an_hour_ago)
        out = io.StringIO()
        call_command("daily", stdout=out)

    assert f"Resuming daily run {run.pk}, stopped at step panel." in out.getvalue()
    run.refresh_from_db()
    assert run.status == DailyStatus.DONE and DailyRun.objects.count() == 1
    assert Review.objects.count() == 1
    assert PanelJob.objects.get().status == JobStatus.DONE
    assert list(LlmCall.objects.order_by("attempt").values_list("status", flat=True)) == [
        "error",
        "ok",
    ]
    assert run.summary["tools"]["created"] == 1
