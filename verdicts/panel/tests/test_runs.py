import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.panel.models import JobKind, JobStatus, LlmCall, PanelJob, PanelRun, Review, RunStatus
from verdicts.panel.selectors import head_to_head_picks, spend_this_month
from verdicts.panel.services import (
    PanelConfigError,
    panel_job_execute,
    panel_jobs_sweep,
    panel_run_create,
    review_create,
)
from verdicts.panel.tasks import panel_sweep
from verdicts.panel.tests.conftest import review_answer
from verdicts.panel.tests.factories import PersonaFactory


def slug_of(info) -> str:
    for slug in ("builder", "skeptic", "futurist", "operator"):
        if f"You are {slug.title()}," in (info.instructions or ""):
            return slug
    raise AssertionError("no persona in the instructions")


def valid(messages, info):
    return review_answer(slug_of(info))


def execute_all(run: PanelRun) -> None:
    for job_id in run.jobs.values_list("pk", flat=True):
        panel_job_execute(job_id=job_id, sleep=lambda seconds: None)


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
def test_a_run_writes_one_validated_review_per_persona_with_provenance(
    script, builder, skeptic, tool
):
    script.default = valid
    run, created = panel_run_create(tools=[tool], personas=[builder, skeptic])
    assert created and run.jobs.count() == 2
    execute_all(run)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.finished_at
    reviews = {r.persona.slug: r for r in Review.objects.current().filter(tool=tool)}
    assert set(reviews) == {"builder", "skeptic"}
    builder_review = reviews["builder"]
    assert builder_review.model_id == "script:test"
    assert builder_review.prompt_version.startswith("review.")
    assert builder_review.run == run
    assert set(builder_review.lens_fields) == {
        "primitive",
        "developer_experience_bet",
        "first_ten_minutes",
    }
    assert set(reviews["skeptic"].lens_fields) >= {"competitors", "what_kills_it"}
    assert builder_review.evidence and builder_review.flags == []
    calls = LlmCall.objects.filter(job__run=run)
    assert calls.count() == 2
    assert all(c.status == LlmCall.Status.OK and c.input_tokens > 0 for c in calls)
    assert all(c.prompt_version.startswith("review.") for c in calls)


@pytest.mark.django_db
def test_invalid_output_goes_back_to_the_model_and_a_valid_retry_is_kept(script, builder, tool):
    bad = review_answer("builder") | {"verdict": "maybe"}
    script.then(bad, valid)
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    review = Review.objects.current().get(tool=tool, persona=builder)
    assert review.verdict == "ship"
    retry_messages, _ = script.seen[1]
    [returned] = retry_messages[-1].parts
    assert returned.outcome == "retried"
    assert "Input should be 'ship' or 'skip'" in str(returned.content)
    assert LlmCall.objects.get().attempt == 1


@pytest.mark.django_db
def test_output_that_stays_invalid_gives_no_verdict_and_keeps_the_current_review(
    script, builder, tool
):
    editorial = review_create(tool=tool, persona=builder, verdict="skip", body="Editors say.")
    too_short = review_answer("builder", words=20)
    script.default = lambda messages, info: too_short
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    job = run.jobs.get()
    assert job.status == JobStatus.FAILED
    assert "invalid output" in job.error
    editorial.refresh_from_db()
    assert editorial.is_current
    assert Review.objects.filter(tool=tool).count() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED


@pytest.mark.django_db
def test_quotes_not_in_the_dossier_are_flagged_on_the_review(script, builder, tool):
    script.then(review_answer("builder", quote="It cures every known bug overnight."))
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    review = Review.objects.current().get(tool=tool, persona=builder)
    assert review.unverified_quotes == ["It cures every known bug overnight."]


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
def test_a_job_done_once_is_not_done_again(script, builder, tool):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    job = run.jobs.get()
    assert panel_job_execute(job_id=job.pk)
    assert not panel_job_execute(job_id=job.pk)
    assert Review.objects.filter(tool=tool).count() == 1
    assert LlmCall.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_job_write_one_review(script, no_worker, builder, tool):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    job = run.jobs.get()
    results: list[bool] = []

    def work():
        try:
            results.append(panel_job_execute(job_id=job.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert Review.objects.filter(tool=tool).count() == 1
    assert LlmCall.objects.count() == 1


@pytest.mark.django_db
def test_the_monthly_budget_stops_a_run_before_a_call_would_pass_it(
    script, panel_settings, builder, skeptic, tool
):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"test": {"input": 3, "output": 15}}'
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "1.00"
    LlmCall.objects.create(
        model_id="script:test", status=LlmCall.Status.OK, cost_usd=Decimal("0.995")
    )
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    execute_all(run)

    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED
    assert set(run.jobs.values_list("status", flat=True)) == {JobStatus.SKIPPED}
    assert "monthly budget" in run.jobs.first().error
    assert LlmCall.objects.count() == 1
    assert not Review.objects.exists()
    assert spend_this_month() == Decimal("0.995")


@pytest.mark.django_db
def test_each_call_records_its_cost_from_the_price_table(script, panel_settings, builder, tool):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"test": {"input": 3, "output": 15}}'
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    call = LlmCall.objects.get()
    expected = (Decimal(call.input_tokens) * 3 + Decimal(call.output_tokens) * 15) / 1_000_000
    assert call.cost_usd == expected.quantize(Decimal("0.000001"))
    assert call.cost_usd > 0


@pytest.mark.django_db
def test_a_worker_killed_mid_job_leaves_it_to_the_sweeper_which_resumes_it(
    script, builder, skeptic, tool
):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    dead, alive = run.jobs.order_by("persona__position")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    PanelJob.objects.filter(pk=dead.pk).update(
        status=JobStatus.RUNNING, claim="dead-worker", claimed_at=long_ago, attempts=1
    )
    PanelJob.objects.filter(pk=alive.pk).update(
        status=JobStatus.RUNNING, claim="busy-worker", claimed_at=timezone.now()
    )
    PanelRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)

    assert panel_jobs_sweep() == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.QUEUED and alive.status == JobStatus.RUNNING
    assert panel_job_execute(job_id=dead.pk)
    dead.refresh_from_db()
    assert dead.status == JobStatus.DONE and dead.attempts == 2
    assert Review.objects.filter(persona=builder).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_swept_workers_late_result_is_dropped(script, no_worker, builder, tool):
    """The slow worker's claim was taken back; its answer must not make a second review."""

    def sweep():
        try:
            PanelJob.objects.update(status=JobStatus.QUEUED, claim="")
        finally:
            connection.close()

    def slow_then_swept(messages, info):
        # The model answers inside an event loop, where Django refuses queries: use a thread.
        sweeper = threading.Thread(target=sweep)
        sweeper.start()
        sweeper.join()
        return valid(messages, info)

    script.then(slow_then_swept)
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    panel_job_execute(job_id=run.jobs.get().pk)
    assert not Review.objects.exists()
    assert run.jobs.get().status == JobStatus.QUEUED


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


@pytest.mark.django_db
def test_the_workers_periodic_sweep_requeues_and_finishes_a_stale_job(script, builder, tool):
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    PanelJob.objects.update(
        status=JobStatus.RUNNING,
        claim="dead-worker",
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    panel_sweep()  # test settings run Huey tasks immediately, as a worker would
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert Review.objects.filter(run=run).count() == 1


@pytest.mark.django_db
def test_a_review_using_words_its_persona_never_says_is_flagged(script, tool):
    skeptic = PersonaFactory(slug="skeptic", name="Skeptic", never_says=["game-changer", "magic"])
    answer = review_answer("skeptic")
    answer["review"] = "A game-changer. Magical thinking aside, " + answer["review"]
    script.then(answer)
    run, _ = panel_run_create(tools=[tool], personas=[skeptic])
    execute_all(run)
    review = Review.objects.current().get(tool=tool, persona=skeptic)
    assert review.flags == [{"kind": "never_says", "word": "game-changer"}]
