import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pydantic_ai.models import override_allow_model_requests

from testkit.pages import text_of
from verdicts.core.starter import starter_catalog_load
from verdicts.llm.testing import FakeLLMServer, Reply
from verdicts.panel.models import JobKind, JobStatus, PanelJob, PanelRun, Review, RunStatus
from verdicts.panel.services.runs import panel_run_create

PAIR = ("claude-4-sonnet", "smolvlm-3b")


@pytest.fixture
def fake(panel_settings):
    with FakeLLMServer(delay=0.05) as server, override_allow_model_requests(True):
        panel_settings.VERDICTS_PANEL_MODEL = f"{server.openai_base_url}#fake-model"
        yield server


def panel(*args: str) -> str:
    out = StringIO()
    call_command("panel", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_panel_run_with_no_model_configured_fails_at_once_saying_how(panel_settings, builder, tool):
    with pytest.raises(CommandError, match="VERDICTS_PANEL_MODEL") as raised:
        panel("run", tool.slug)
    assert "docs/panel.md" in str(raised.value)
    assert not PanelRun.objects.exists()


@pytest.mark.django_db
def test_panel_run_names_unknown_tools_and_personas(panel_settings, tool):
    with pytest.raises(CommandError, match=r"Unknown tool slug.*nope"):
        panel("run", tool.slug, "nope")
    with pytest.raises(CommandError, match=r"persona.*ghost"):
        panel("run", tool.slug, "--persona", "ghost", "--model", "ollama:x")


@pytest.mark.django_db(transaction=True)
def test_panel_run_on_a_fresh_install_does_the_calls_itself_and_the_page_shows_them(
    fake, no_worker, client
):
    starter_catalog_load()
    output = panel("run", *PAIR, "--wait-for-worker", "0")

    run = PanelRun.objects.get()
    assert run.status == RunStatus.DONE and f"Run {run.pk}: Done." in output
    assert len(no_worker) == 16
    reviews = Review.objects.current().filter(tool__slug__in=PAIR, run=run)
    assert reviews.count() == 8
    assert {r.model_id for r in reviews} == {f"{fake.openai_base_url}#fake-model"}
    assert run.jobs.filter(kind=JobKind.HEAD_TO_HEAD, status=JobStatus.DONE).count() == 8
    assert len(fake.requests) == 16

    text = text_of(client.get(f"/compare/{PAIR[0]}-vs-{PAIR[1]}/"))
    today = timezone.now().strftime("%-d %b %Y")
    assert text.count("Written by the model fake-model, prompt review.") == 8
    # Each review's date once, in its label (the specifications grid dates its sources too).
    dated = re.findall(rf"Written by the model fake-model, prompt review\.[^ ]* · {today}", text)
    assert len(dated) == 8
    assert "Written by Verdicts editorial" not in text


@pytest.mark.django_db(transaction=True)
def test_panel_run_hands_the_calls_to_the_worker_when_one_runs(fake, builder, tool):
    output = panel("run", tool.slug, "--wait-for-worker", "30")
    run = PanelRun.objects.get()
    assert run.status == RunStatus.DONE
    assert "doing the calls here" not in output
    assert Review.objects.filter(tool=tool, run=run).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_exits_with_an_error_and_status_shows_why(fake, no_worker, builder, tool):
    fake.add(*[Reply(status=500, json={"error": {"message": "boom"}}) for _ in range(3)])
    with pytest.raises(CommandError, match="Failed: no verdicts"):
        panel("run", tool.slug, "--wait-for-worker", "0")
    run = PanelRun.objects.get()
    listing = panel("status")
    assert f"{run.pk:>5}" in listing and "failed" in listing and "0/1 done, 1 no verdict" in listing
    detail = panel("status", str(run.pk))
    assert "No verdict after 3 attempts" in detail and "HTTP 500" in detail


@pytest.mark.django_db(transaction=True)
def test_panel_run_resume_finishes_what_a_dead_worker_left(fake, no_worker, builder, tool):
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    PanelJob.objects.update(
        status=JobStatus.RUNNING,
        claim="dead",
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    PanelRun.objects.update(status=RunStatus.RUNNING)
    output = panel("run", "--resume")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and "1 unfinished run(s)" in output
    assert Review.objects.filter(run=run).count() == 1


@pytest.mark.django_db
def test_a_malformed_budget_or_price_table_is_a_clear_error(panel_settings):
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "lots"
    with pytest.raises(CommandError, match="VERDICTS_PANEL_MONTHLY_BUDGET_USD must be a number"):
        panel("status")
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "25"
    panel_settings.VERDICTS_LLM_PRICES_JSON = "{not json"
    with pytest.raises(CommandError, match="VERDICTS_LLM_PRICES must be a JSON object"):
        panel("status")


@pytest.mark.django_db(transaction=True)
def test_panel_run_does_what_it_can_and_leaves_calls_another_worker_holds(
    fake, no_worker, builder, skeptic, tool
):
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    held = run.jobs.get(persona=skeptic)
    PanelJob.objects.filter(pk=held.pk).update(
        status=JobStatus.RUNNING, claim="live-worker", claimed_at=timezone.now()
    )
    output = panel("run", tool.slug, "--wait-for-worker", "0")
    assert "An identical run is already under way" in output
    assert f"Other workers hold its remaining calls: `verdicts panel status {run.pk}`" in output
    assert run.jobs.get(persona=builder).status == JobStatus.DONE
    assert run.jobs.get(persona=skeptic).status == JobStatus.RUNNING
