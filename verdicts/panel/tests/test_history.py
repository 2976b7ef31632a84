"""Verdicts that live: each panel review keeps its dossier's snapshot; a flip or a move across
one half is recorded once, with the review."""

from decimal import Decimal
from functools import partial

import pytest

from testkit.concurrency import threads_race
from testkit.panel import execute_all, review_answer
from verdicts.catalog.models import PlanKind
from verdicts.catalog.tests.factories import PricingPlanFactory
from verdicts.panel.history.selectors import tool_timeline, verdict_change_list
from verdicts.panel.history.services import verdict_change_record
from verdicts.panel.history.snapshot import DossierChange, snapshot_changes
from verdicts.panel.models import Hold, PanelJob, Review, ReviewSnapshot, VerdictChange
from verdicts.panel.services.editorial import review_create
from verdicts.panel.services.jobs import panel_job_execute, panel_job_finish
from verdicts.panel.services.runs import panel_run_create


def answering(verdict: str):
    return lambda messages, info: review_answer(
        "skeptic" if "You are Skeptic," in info.instructions else "builder", verdict=verdict
    )


def review_run(script, tool, personas, verdict: str):
    script.default = answering(verdict)
    run, _ = panel_run_create(tools=[tool], personas=personas)
    execute_all(run)
    return run


@pytest.mark.django_db
def test_a_flip_after_a_price_cut_is_on_the_timeline_and_recorded_once(script, builder, tool):
    plan = PricingPlanFactory(tool=tool, name="Pro", kind=PlanKind.TIERED, price=Decimal("20"))
    review_run(script, tool, [builder], "skip")
    plan.price = Decimal("12")
    plan.save()
    tool.licence = "MIT"
    tool.save()
    review_run(script, tool, [builder], "ship")

    [timeline] = tool_timeline(tool_id=tool.pk)
    first, second = timeline.entries
    assert (first.verdict, second.verdict) == ("skip", "ship")
    assert first.is_first and first.changes is None
    assert second.label.kind == "ai"
    assert DossierChange("licence", "licence: not stated → MIT") in second.changes
    [pricing] = [change for change in second.changes if change.kind == "pricing"]
    assert "20" in pricing.text and "12" in pricing.text and "Pro" in pricing.text
    change = VerdictChange.objects.get()
    assert (change.verdict_before, change.verdict_after) == ("skip", "ship")
    assert (change.ships_before, change.total_before, change.ships_after) == (0, 1, 1)
    [item] = verdict_change_list()
    assert item.title == "Builder now says ship on SmolVLM-3B (was skip)"
    assert "it crossed one half (fewer than half say ship → more than half say ship)" in (
        item.summary
    )
    assert item.changes == second.changes
    assert "AI analysis" in item.label.text


@pytest.mark.django_db
def test_the_same_verdict_on_the_same_dossier_records_nothing(script, builder, tool):
    review_run(script, tool, [builder], "ship")
    review_run(script, tool, [builder], "ship")

    [timeline] = tool_timeline(tool_id=tool.pk)
    assert [entry.changes for entry in timeline.entries] == [None, []]
    assert ReviewSnapshot.objects.count() == 2
    assert not VerdictChange.objects.exists()


@pytest.mark.django_db
def test_a_new_persona_moving_the_share_across_one_half_is_a_change(script, builder, skeptic, tool):
    review_run(script, tool, [builder], "ship")
    script.default = answering("skip")
    run, _ = panel_run_create(tools=[tool], personas=[skeptic])
    execute_all(run)

    change = VerdictChange.objects.get()
    assert change.persona == skeptic and change.verdict_before == ""
    assert (change.ships_before, change.total_before) == (1, 1)
    assert (change.ships_after, change.total_after) == (1, 2)
    [item] = verdict_change_list()
    assert item.title == "SmolVLM-3B: the panel now has split, half say ship"


@pytest.mark.django_db
def test_a_review_from_before_snapshots_says_not_recorded(script, builder, tool):
    review_create(tool=tool, persona=builder, verdict="ship", body="Editors say ship.")
    review_run(script, tool, [builder], "skip")

    [timeline] = tool_timeline(tool_id=tool.pk)
    editorial, panel = timeline.entries
    assert editorial.label.kind == "editorial" and panel.label.kind == "ai"
    assert panel.changes is None  # the editorial review kept no snapshot
    assert VerdictChange.objects.get().verdict_before == "ship"


@pytest.mark.django_db
def test_a_retried_finish_and_a_second_record_write_one_change(script, builder, tool):
    review_run(script, tool, [builder], "ship")
    review_run(script, tool, [builder], "skip")
    job = PanelJob.objects.order_by("-pk").first()
    review = Review.objects.current().get(tool=tool, persona=builder)

    # The job is done: a worker that lost it meanwhile has its result dropped.
    assert not panel_job_finish(job=job, token="lost", request=None, output=None, error="x")
    assert verdict_change_record(review=review) == VerdictChange.objects.get()
    assert VerdictChange.objects.count() == 1


@pytest.mark.django_db
def test_a_held_answer_is_no_change_until_it_counts(script, builder, tool):
    review_run(script, tool, [builder], "ship")
    review = review_create(tool=tool, persona=builder, verdict="skip", body="Held.", model_id="m")
    Review.objects.filter(pk=review.pk).update(hold=Hold.SWAYED)
    review.refresh_from_db()

    assert verdict_change_record(review=review) is None
    assert [e.verdict for e in tool_timeline(tool_id=tool.pk)[0].entries] == ["ship"]
    Review.objects.filter(pk=review.pk).update(hold=Hold.ACCEPTED)
    review.refresh_from_db()
    assert verdict_change_record(review=review).verdict_after == "skip"


def test_snapshot_changes_name_each_part_that_moved():
    before = {
        "licence": "",
        "verification": "unchecked",
        "description": "a",
        "facts": {"context window": "128k"},
        "plans": {"Pro (Tiered)": "Pro (Tiered); price 20 USD"},
        "documents": {"Docs": "2026-11-01"},
    }
    after = {
        "licence": "MIT",
        "verification": "verified",
        "description": "b",
        "facts": {"context window": "200k", "modalities": "text"},
        "plans": {"Team (Tiered)": "Team (Tiered); price 40 USD"},
        "documents": {"Docs": "2026-12-01"},
    }
    assert [change.text for change in snapshot_changes(before, after)] == [
        "pricing plan removed: Pro (Tiered)",
        "pricing plan added: Team (Tiered) (price 40 USD)",
        "licence: not stated → MIT",
        "registry verification: unchecked → verified",
        "description rewritten",
        "fact context window: 128k → 200k",
        "fact added: modalities (text)",
        "documentation updated: Docs",
    ]
    assert snapshot_changes(after, after) == []


@pytest.mark.django_db(transaction=True)
def test_two_personas_flipping_at_once_each_see_the_other_in_turn(
    script, no_worker, builder, skeptic, tool
):
    review_run(script, tool, [builder, skeptic], "ship")
    script.default = answering("skip")
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    jobs = list(run.jobs.values_list("pk", flat=True))

    raced = threads_race(
        [partial(panel_job_execute, job_id=job, sleep=lambda seconds: None) for job in jobs]
    )
    assert raced.errors == [] and raced.results == [True, True]
    shares = sorted(VerdictChange.objects.values_list("ships_before", "ships_after"))
    # Serialised on the tool row: 2 of 2 to 1 of 2, then 1 of 2 to 0 of 2, never both from 2.
    assert shares == [(1, 0), (2, 1)]
