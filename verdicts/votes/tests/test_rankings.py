import re

import pytest
from django.core.management import call_command
from django.test import Client

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.votes.models import PairVote, RankingEntry, ToolVote
from verdicts.votes.services import rankings_recompute
from verdicts.votes.tasks import rankings_refresh


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def picks(comparison, a: int, b: int, tie: int = 0) -> None:
    rows = ["a"] * a + ["b"] * b + ["tie"] * tie
    PairVote.objects.bulk_create(
        PairVote(comparison=comparison, voter_key=f"anon:{comparison.pk}-{i}", pick=pick)
        for i, pick in enumerate(rows)
    )


def ships(tool, ship: int, skip: int) -> None:
    rows = ["ship"] * ship + ["skip"] * skip
    ToolVote.objects.bulk_create(
        ToolVote(tool=tool, voter_key=f"anon:{tool.pk}-{i}", choice=choice)
        for i, choice in enumerate(rows)
    )


@pytest.fixture
def league(db):
    """Strong beats everyone; twin and weak cannot be told apart; one tool in another category."""
    coding, other = CategoryFactory(slug="coding"), CategoryFactory(slug="vision")
    strong, twin, weak = (ToolFactory(category=coding, name=n) for n in ("Strong", "Twin", "Weak"))
    outsider = ToolFactory(category=other, name="Outsider")
    picks(ComparisonFactory(tool_a=strong, tool_b=weak), 90, 10)
    picks(ComparisonFactory(tool_a=strong, tool_b=twin), 85, 15, 4)
    picks(ComparisonFactory(tool_a=twin, tool_b=weak), 26, 24)
    picks(ComparisonFactory(tool_a=outsider, tool_b=weak), 20, 20)
    ships(strong, 100, 1)
    ships(twin, 2, 0)
    return {"strong": strong, "twin": twin, "weak": weak, "outsider": outsider}


def test_the_rankings_page_shows_nothing_until_the_job_has_run(client, league):
    page = text_of(client.get("/rankings/"))
    assert "No head-to-head picks yet." in page
    assert "Strong" not in page


def test_stored_rankings_show_intervals_and_shared_ranks(client, league):
    rankings_refresh()
    entries = {e.tool_id: e for e in RankingEntry.objects.filter(scope="", method="h2h")}
    strong, twin, weak = (entries[league[name].pk] for name in ("strong", "twin", "weak"))
    assert strong.rank == 1 and strong.position == 1
    assert twin.rank == weak.rank == 2
    assert strong.low > max(twin.high, weak.high)
    assert strong.votes == 204
    page = text_of(client.get("/rankings/"))
    assert re.search(r"1 Strong .*?\d+% \d+\u2013\d+% 204", page)
    # Ship share: 2 of 2 is a lower bound of 34%, far below 100 of 101.
    ship = list(RankingEntry.objects.filter(scope="", method="ship"))
    assert [e.tool_id for e in ship] == [league["strong"].pk, league["twin"].pk]


def test_category_rankings_hold_only_that_categorys_tools(client, league):
    rankings_recompute(samples=50)
    coding = RankingEntry.objects.filter(scope="coding", method="h2h")
    assert {e.tool_id for e in coding} == {league[n].pk for n in ("strong", "twin", "weak")}
    assert coding.order_by("position").first().tool_id == league["strong"].pk
    page = text_of(client.get("/rankings/coding/"))
    assert "Outsider" not in page and "Strong" in page
    assert client.get("/rankings/no-such/").status_code == 404


def test_recomputing_replaces_the_stored_rankings(league):
    rankings_recompute(samples=20)
    first = RankingEntry.objects.count()
    rankings_recompute(samples=20)
    assert RankingEntry.objects.count() == first
    Tool.objects.filter(pk=league["outsider"].pk).update(status=Tool.Status.DRAFT)
    rankings_recompute(samples=20)
    assert not RankingEntry.objects.filter(tool=league["outsider"]).exists()


def test_the_rankings_command_stores_rankings(league, capsys):
    call_command("rankings", samples=10)
    assert "Stored" in capsys.readouterr().out
    assert RankingEntry.objects.filter(scope="").exists()


def test_rankings_pages_cost_a_fixed_number_of_queries(league, django_assert_num_queries):
    rankings_recompute(samples=10)
    client = Client()
    with django_assert_num_queries(2):
        client.get("/rankings/")
    with django_assert_num_queries(3):
        client.get("/rankings/coding/")
    for _ in range(4):
        extra = ToolFactory(category=league["strong"].category)
        picks(ComparisonFactory(tool_a=extra, tool_b=league["weak"]), 5, 5)
        ships(extra, 3, 3)
    rankings_recompute(samples=10)
    with django_assert_num_queries(2):
        client.get("/rankings/")
    with django_assert_num_queries(3):
        client.get("/rankings/coding/")


def test_rankings_are_refreshed_by_a_periodic_job(settings):
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    every = settings.VOTES_RANKING_MINUTES

    def due(minute: int) -> set[str]:
        return {task.name for task in HUEY.read_periodic(datetime(2026, 1, 1, 12, minute))}

    assert "rankings_refresh" in due(every)
    assert "rankings_refresh" not in due(every + 1)


@pytest.mark.django_db
def test_recomputing_with_no_votes_stores_nothing():
    assert rankings_recompute(samples=5) == 0
    assert not RankingEntry.objects.exists()
