"""`verdicts panel status`, run as a real subprocess against the test database."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end
from verdicts.panel.models import JobStatus, PanelJob, PanelRun, RunStatus


def panel_status(tmp_path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VERDICTS_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "panel", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    wait_for_other_sessions_to_end()
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_status_lists_the_newest_runs_first_with_their_models(tmp_path, builder, skeptic, tool):
    start = timezone.now() - datetime.timedelta(days=1)
    runs = []
    for minutes in range(25):
        run = PanelRun.objects.create(key=f"run-{minutes}", status=RunStatus.DONE)
        run.tools.add(tool)
        PanelRun.objects.filter(pk=run.pk).update(
            created_at=start + datetime.timedelta(minutes=minutes)
        )
        runs.append(run)
    newest, oldest = runs[-1], runs[0]
    for persona, model in ((builder, "openai:gpt-4o"), (skeptic, "ollama:llama3.1")):
        PanelJob.objects.create(
            run=newest, persona=persona, tool=tool, model_id=model, status=JobStatus.DONE
        )

    listed = [line.split() for line in panel_status(tmp_path).splitlines()[:-1]]

    assert [int(line[0]) for line in listed] == [run.pk for run in reversed(runs[-20:])]
    assert oldest.pk not in {int(line[0]) for line in listed}
    assert " ".join(listed[0]).endswith(f"{tool.slug} model ollama:llama3.1 and 1 other(s)")
