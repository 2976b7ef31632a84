"""No judge of its own maker: per-persona models (VERDICTS_PANEL_MODELS), a job moved to the
next configured model outside the tool's family or skipped with the reason, and the flag on a
panel that came from one family."""

import pytest
from django.core.checks import run_checks

from testkit.panel import execute_all, valid
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory, VendorFactory
from verdicts.panel.labels import model_makers, panel_makers
from verdicts.panel.models import JobKind, JobStatus, Review, RunStatus
from verdicts.panel.services.config import PanelConfigError, persona_models_parse
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.factories import PersonaFactory

CLAUDE = "script:claude-test"
GPT = "script:gpt-test"


@pytest.fixture
def anthropic_tool(db):
    vendor = VendorFactory(slug="anthropic", name="Anthropic")
    return ToolFactory(slug="claude-4-sonnet", name="Claude 4 Sonnet", vendor=vendor)


@pytest.fixture
def openai_tool(db):
    vendor = VendorFactory(slug="openai", name="OpenAI")
    return ToolFactory(slug="gpt-5", name="GPT-5", vendor=vendor)


def test_a_models_makers_are_its_family_and_its_provider():
    assert model_makers("ollama:claude-distilled") == {"anthropic"}
    assert model_makers("openai:claude-via-a-proxy") == {"anthropic", "openai"}
    assert model_makers("anthropic:some-new-name") == {"anthropic"}
    assert model_makers("openai:gpt-4o") == {"openai"}
    assert model_makers("http://127.0.0.1:8089/v1#fake-model") == frozenset()


@pytest.mark.parametrize(
    ("items", "message"),
    [(["skeptic"], "not persona=model"), (["skeptic=gpt-4o"], "skeptic: 'gpt-4o'")],
)
def test_malformed_persona_models_are_refused_with_the_fix(items, message):
    with pytest.raises(PanelConfigError, match=message):
        persona_models_parse(items)


def test_malformed_persona_models_fail_the_start_up_checks(settings):
    settings.VERDICTS_PANEL_MODELS = ["builder=nonsense"]
    assert [error.id for error in run_checks(tags=["panel"])] == ["panel.E003"]


@pytest.mark.django_db
def test_each_persona_writes_with_its_own_model_and_never_reviews_its_maker(
    script, settings, builder, skeptic, anthropic_tool, openai_tool
):
    script.default = valid  # the scripted model answers for every model name
    settings.VERDICTS_PANEL_MODELS = [f"builder={CLAUDE}", f"skeptic={GPT}"]
    run, _ = panel_run_create(tools=[anthropic_tool, openai_tool], personas=[builder, skeptic])
    execute_all(run)
    written = {
        (review.persona.slug, review.tool.slug): review.model_id
        for review in Review.objects.current().select_related("persona", "tool")
    }
    # Each persona's own model, except where it would judge its own maker: then the other one.
    assert written == {
        ("builder", "claude-4-sonnet"): GPT,
        ("builder", "gpt-5"): CLAUDE,
        ("skeptic", "claude-4-sonnet"): GPT,
        ("skeptic", "gpt-5"): CLAUDE,
    }
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


@pytest.mark.django_db
def test_a_job_no_configured_model_may_do_is_skipped_with_the_reason_and_never_sent(
    script, settings, builder, anthropic_tool
):
    script.default = valid
    settings.VERDICTS_PANEL_MODEL = CLAUDE
    settings.VERDICTS_PANEL_MODELS = ["builder=anthropic:claude-sonnet-4-5"]
    settings.VERDICTS_LLM_ANTHROPIC_API_KEY = "sk-test-never-used"
    run, _ = panel_run_create(tools=[anthropic_tool], personas=[builder])
    job = run.jobs.get()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.error.startswith("Skipped: no model judges its own maker")
    assert "claude-sonnet-4-5, claude-test" in job.error
    assert "Claude 4 Sonnet (Anthropic)" in job.error
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED  # settled at once: there is nothing to wait for
    execute_all(run)
    assert script.seen == [] and not Review.objects.exists()


@pytest.mark.django_db
def test_a_model_named_for_the_run_is_not_swapped_for_another(
    script, settings, builder, anthropic_tool, openai_tool
):
    script.default = valid
    settings.VERDICTS_PANEL_MODEL = GPT
    run, _ = panel_run_create(tools=[anthropic_tool, openai_tool], personas=[builder], model=CLAUDE)
    statuses = {job.tool.slug: (job.status, job.model_id) for job in run.jobs.all()}
    assert statuses["gpt-5"] == (JobStatus.QUEUED, CLAUDE)
    assert statuses["claude-4-sonnet"][0] == JobStatus.FAILED


@pytest.mark.django_db
def test_head_to_head_needs_a_model_made_by_neither_tools_maker(
    script, settings, builder, anthropic_tool, openai_tool
):
    script.default = valid
    ComparisonFactory(tool_a=anthropic_tool, tool_b=openai_tool)
    settings.VERDICTS_PANEL_MODELS = [f"builder={CLAUDE}"]
    settings.VERDICTS_PANEL_MODEL = GPT
    run, _ = panel_run_create(tools=[anthropic_tool, openai_tool], personas=[builder])
    picks = run.jobs.filter(kind=JobKind.HEAD_TO_HEAD)
    assert picks.count() == 2
    assert all(job.status == JobStatus.FAILED and "GPT-5 (OpenAI)" in job.error for job in picks)


@pytest.mark.django_db
def test_head_to_head_goes_to_a_configured_model_of_a_third_family(
    script, settings, builder, anthropic_tool, openai_tool
):
    ComparisonFactory(tool_a=anthropic_tool, tool_b=openai_tool)
    # The skeptic is not asked, but its model is configured, so the builder may borrow it.
    settings.VERDICTS_PANEL_MODELS = [f"builder={CLAUDE}", "skeptic=script:llama-test"]
    settings.VERDICTS_PANEL_MODEL = GPT
    run, _ = panel_run_create(tools=[anthropic_tool, openai_tool], personas=[builder])
    picks = run.jobs.filter(kind=JobKind.HEAD_TO_HEAD)
    assert {job.model_id for job in picks} == {"script:llama-test"}
    assert all(job.status == JobStatus.QUEUED for job in picks)


@pytest.mark.django_db
def test_a_panel_from_one_family_is_flagged_and_a_mixed_one_is_not(anthropic_tool):
    skeptic = PersonaFactory(slug="skeptic", name="Skeptic")
    builder = PersonaFactory(slug="builder", name="Builder")

    def review(persona, model_id):
        return Review(
            tool=anthropic_tool, persona=persona, verdict="ship", body="b", model_id=model_id
        )

    one_family = [review(builder, "openai:gpt-4o"), review(skeptic, "openai:o3-mini")]
    assert panel_makers(one_family).single_family
    assert panel_makers(one_family).models == ["gpt-4o", "o3-mini"]
    mixed = [review(builder, "openai:gpt-4o"), review(skeptic, CLAUDE)]
    assert not panel_makers(mixed).single_family
    assert not panel_makers([review(builder, "openai:gpt-4o")]).single_family  # one review
    editorial = [review(builder, ""), review(skeptic, "")]
    assert not panel_makers(editorial).single_family and panel_makers(editorial).models == []
