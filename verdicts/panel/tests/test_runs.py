"""Queueing runs: their jobs, their models, duplicates, and head-to-head questions."""

import pytest

from testkit.panel import execute_all, valid
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.models import JobKind, PanelRun, Review
from verdicts.panel.selectors import head_to_head_picks
from verdicts.panel.services.config import PanelConfigError
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.factories import PersonaFactory


@pytest.mark.django_db
def test_with_no_model_configured_a_run_fails_at_once_and_says_how_to_configure_one(
    panel_settings, builder, tool
):
    with pytest.raises(PanelConfigError, match="VERDICTS_PANEL_MODEL"):
        panel_run_create(tools=[tool], personas=[builder])
    assert PanelRun.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_model_string_fails_at_once(panel_settings, builder, tool):
    with pytest.raises(PanelConfigError, match="provider:model"):
        panel_run_create(tools=[tool], personas=[builder], model="gpt-4o")


@pytest.mark.django_db
def test_rerunning_supersedes_keeps_history_and_an_active_run_is_never_duplicated(
    script, builder, tool
):
    script.default = valid
    first, created = panel_run_create(tools=[tool], personas=[builder])
    again, created_again = panel_run_create(tools=[tool], personas=[builder])
    assert created and not created_again and again == first
    execute_all(first)
    second, created = panel_run_create(tools=[tool], personas=[builder])
    assert created and second != first
    execute_all(second)

    reviews = Review.objects.filter(tool=tool, persona=builder)
    assert reviews.count() == 2
    assert list(reviews.filter(is_current=True).values_list("run", flat=True)) == [second.pk]


@pytest.mark.django_db
def test_head_to_head_is_asked_in_both_orders_and_a_flipping_pick_is_a_tie(script, builder):
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    ComparisonFactory(tool_a=tool_a, tool_b=tool_b)

    def always_first(messages, info):
        if "Which would you ship with" in str(messages[0]):
            return {"pick": "first", "for_whom": "Small teams.", "reason": "It is simpler."}
        return valid(messages, info)

    script.default = always_first
    run, _ = panel_run_create(tools=[tool_a, tool_b], personas=[builder])
    h2h = run.jobs.filter(kind=JobKind.HEAD_TO_HEAD)
    assert {(job.tool_id, job.other_tool_id) for job in h2h} == {
        (tool_a.pk, tool_b.pk),
        (tool_b.pk, tool_a.pk),
    }
    execute_all(run)
    [pick] = head_to_head_picks(tool_a=tool_a, tool_b=tool_b)
    assert pick.persona == builder and pick.pick is None and not pick.consistent


@pytest.mark.django_db
def test_head_to_head_pick_that_holds_in_both_orders_counts(script, builder):
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    ComparisonFactory(tool_a=tool_a, tool_b=tool_b)

    def prefers_beta(messages, info):
        prompt = str(messages[0])
        if "Which would you ship with" not in prompt:
            return valid(messages, info)
        first_is_beta = prompt.index("name: Beta") < prompt.index("name: Alpha")
        pick = "first" if first_is_beta else "second"
        return {"pick": pick, "for_whom": "Teams on a budget.", "reason": "It costs less."}

    script.default = prefers_beta
    run, _ = panel_run_create(tools=[tool_a, tool_b], personas=[builder])
    execute_all(run)
    [pick] = head_to_head_picks(tool_a=tool_a, tool_b=tool_b)
    assert pick.pick == tool_b and pick.consistent and pick.for_whom == "Teams on a budget."


@pytest.mark.django_db
def test_each_persona_can_write_with_its_own_model(script, builder, tool, panel_settings):
    other = PersonaFactory(slug="skeptic", name="Skeptic", model="script:other-model")
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder, other])
    assert dict(run.jobs.values_list("persona__slug", "model_id")) == {
        "builder": "script:test",
        "skeptic": "script:other-model",
    }
    execute_all(run)
    assert Review.objects.get(persona=other).model_id == "script:other-model"
