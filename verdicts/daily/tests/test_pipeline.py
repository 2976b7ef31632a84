"""The whole pipeline in-process over real HTTP: sources, rivals, panel, publish, and again."""

import io

import pytest
from django.core.management import CommandError, call_command

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.daily.models import DailyRun, DailyStatus
from verdicts.daily.pipeline import daily_run_execute
from verdicts.daily.steps.rivals import rival_draft
from verdicts.panel.models import LlmCall, PanelRun, Review


def run_daily(*args: str) -> tuple[list[str], bool]:
    """The command's lines, and whether it exited non-zero."""
    out = io.StringIO()
    try:
        call_command("daily", *args, stdout=out)
    except CommandError:
        return out.getvalue().splitlines(), True
    return out.getvalue().splitlines(), False


def counts() -> dict[str, int]:
    return {
        "tools": Tool.objects.count(),
        "comparisons": Comparison.objects.count(),
        "published": Comparison.objects.filter(published_at__isnull=False).count(),
        "panel_runs": PanelRun.objects.count(),
        "reviews": Review.objects.count(),
        "calls": LlmCall.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_full_run_imports_drafts_reviews_and_publishes_then_a_second_run_adds_nothing(
    pipeline, feed
):
    broken = feed.url_for("/broken.xml")
    lines, failed = run_daily()

    assert failed  # the broken source is an error of the run; everything else was done
    assert "created probe-one" in lines and "created acme-coder" in lines
    summary = DailyRun.objects.get().summary
    assert summary["tools"] == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    assert summary["embeddings"] == {"embedded": 3, "unchanged": 1}
    assert sorted(summary["comparisons"]["drafted"]) == [
        "acme-coder-vs-cursor",
        "probe-one-vs-cursor",
    ]
    assert {rival["tool"]: rival["note"] for rival in summary["rivals"]}["probe-two"] == (
        "no published rival above the similarity threshold"
    )
    # probe-two alone in the panel step; the paired tools are reviewed by their head-to-head.
    assert summary["reviews"] == {"panel_runs": 3, "written": 5, "spend_usd": "0.0000"}
    assert summary["comparisons"]["published"] == ["acme-coder-vs-cursor"]
    assert summary["comparisons"]["waiting"] == [
        "probe-one-vs-cursor: probe-one has no category yet: it waits in the review queue"
    ]
    assert summary["errors"] == [
        f"sources {broken}: {broken} answered HTTP 503 SERVICE UNAVAILABLE"
    ]
    assert Tool.objects.get(slug="acme-coder").is_published
    assert not Tool.objects.get(slug="probe-one").is_published
    assert Comparison.objects.get(slug="acme-coder-vs-cursor").published_at is not None
    assert Comparison.objects.published().count() == 1  # so the weekly digest will carry it
    assert "Comparisons: 2 drafted (acme-coder-vs-cursor, probe-one-vs-cursor), 1 published" in (
        " ".join(lines)
    )
    assert Review.objects.filter(tool__slug="probe-one").count() == 1
    with_logo = Tool.objects.get(slug="probe-one")
    assert with_logo.logo and with_logo.logo_source == feed.url_for("/logos/probe-one.png")
    assert not Tool.objects.get(slug="probe-two").logo
    assert f"logo probe-one: logo stored from {with_logo.logo_source}" in lines
    before = counts()

    lines, _ = run_daily()

    assert counts() == before
    assert not any(line.startswith("logo ") for line in lines)  # fetched once
    second = DailyRun.objects.order_by("-pk").first().summary
    assert second["tools"]["created"] == 0 and second["comparisons"]["drafted"] == []
    assert second["reviews"]["written"] == 0 and second["comparisons"]["published"] == []


@pytest.mark.django_db(transaction=True)
def test_with_publish_review_nothing_is_published_and_everything_waits(pipeline, settings):
    settings.VERDICTS_DAILY_PUBLISH = "review"

    run_daily()

    assert not Comparison.objects.filter(published_at__isnull=False).exists()
    assert not Tool.objects.filter(slug__in=["acme-coder", "probe-one"], status="published")
    waiting = DailyRun.objects.get().summary["comparisons"]["waiting"]
    assert len(waiting) == 2 and all("review queue" in line for line in waiting)


@pytest.mark.django_db(transaction=True)
def test_a_step_that_raises_is_an_error_and_the_next_steps_still_run(pipeline, monkeypatch):
    def broken(*, tool_ids=None):
        raise RuntimeError("the encoder is missing")

    monkeypatch.setattr("verdicts.daily.steps.rivals.tool_embeddings_refresh", broken)

    outcome = daily_run_execute()

    assert outcome.run.status == DailyStatus.ERRORS
    assert "embeddings step: the encoder is missing" in outcome.summary["errors"]
    assert outcome.summary["comparisons"]["published"] == ["acme-coder-vs-cursor"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_model_is_an_error_of_its_tools_and_the_rest_goes_on(pipeline, settings):
    pipeline.default = lambda messages, info: "not json at all"

    outcome = daily_run_execute()

    assert Review.objects.count() == 0
    assert outcome.summary["comparisons"]["drafted"]  # drafted, though never judged
    assert outcome.summary["comparisons"]["published"] == []
    assert outcome.run.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_budget_stops_the_model_calls_and_the_next_run_takes_up_the_rest(pipeline, settings):
    settings.VERDICTS_LLM_PRICES_JSON = '{"script:test": {"input": 1000, "output": 1000}}'
    settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "0.01"

    outcome = daily_run_execute()

    assert LlmCall.objects.count() == 0 and Review.objects.count() == 0
    assert "monthly budget" in outcome.summary["notes"][0]
    assert "the rest waits for the next run" in outcome.summary["notes"][0]
    assert len(outcome.summary["comparisons"]["drafted"]) == 2

    settings.VERDICTS_LLM_PRICES_JSON = ""
    outcome = daily_run_execute()

    assert outcome.summary["notes"] == []
    assert outcome.summary["reviews"]["written"] == 5
    assert outcome.summary["comparisons"]["published"] == ["acme-coder-vs-cursor"]


@pytest.mark.django_db
def test_a_pair_already_compared_in_either_order_is_not_drafted_again(rivals, rival):
    acme = ToolFactory(slug="acme-coder", status=Tool.Status.DRAFT)
    ComparisonFactory(tool_a=rival, tool_b=acme, published_at=None)

    assert rival_draft(tool=acme) == {
        "rival": "cursor",
        "score": 0.81,
        "note": "already compared in cursor-vs-acme-coder",
    }
    assert Comparison.objects.count() == 1
