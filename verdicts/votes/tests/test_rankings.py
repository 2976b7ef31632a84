import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from huey.contrib.djhuey import HUEY

from testkit.pages import text_of
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import CategoryFactory, ComparisonFactory, ToolFactory
from verdicts.votes import selectors
from verdicts.votes.identity import Voter
from verdicts.votes.models import PairVote, RankingEntry, ToolVote
from verdicts.votes.selectors import RECOMPUTE_PENDING_KEY
from verdicts.votes.services.casting import tool_vote_cast
from verdicts.votes.services.rankings import rankings_recompute
from verdicts.votes.tasks import rankings_refresh


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


def test_before_the_first_recompute_the_page_says_votes_are_in_and_when_it_is_computed(
    client, league, settings, monkeypatch
):
    settings.VOTES_RANKING_MINUTES = 10
    frozen = datetime.datetime(2026, 3, 2, 12, 3, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(selectors.timezone, "now", lambda: frozen)
    page = text_of(client.get("/rankings/"))
    assert "No head-to-head picks yet" not in page and "No ship or skip votes yet" not in page
    assert "Not computed yet: the first ranking is computed at 2 Mar 2026, 12:10 UTC." in page
    assert "294 head-to-head picks are in; the ranking that counts them is computed at" in page
    assert "103 ship or skip votes are in" in page
    assert "Strong" not in page
    coding = text_of(client.get("/rankings/coding/"))
    # Every pick involves a coding tool (the outsider played Weak).
    assert "294 head-to-head picks are in" in coding and "103 ship or skip votes are in" in coding
    vision = text_of(client.get("/rankings/vision/"))
    assert "40 head-to-head picks are in" in vision and "No ship or skip votes yet in" in vision


@pytest.mark.django_db
def test_with_no_votes_the_page_says_so(client):
    page = text_of(client.get("/rankings/"))
    assert "No votes yet." in page and "No head-to-head picks yet." in page


def test_the_page_says_when_the_ranking_was_computed_and_what_it_has_not_counted(
    client, league, settings
):
    rankings_recompute(samples=10)
    computed = RankingEntry.objects.first().computed_at
    page = text_of(client.get("/rankings/"))
    assert f"Computed {computed:%-d %b %Y, %H:%M} UTC. Next recompute:" in page
    ToolVote.objects.create(tool=league["weak"], voter_key="anon:late", choice="ship")
    page = text_of(client.get("/rankings/"))
    assert "; 1 vote cast or changed since then is counted at the next recompute." in page


def test_the_next_recompute_is_a_pending_one_or_the_periodic_minute(settings):
    settings.VOTES_RANKING_MINUTES = 10
    now = datetime.datetime(2026, 3, 2, 12, 3, 30, tzinfo=datetime.UTC)
    HUEY.delete(RECOMPUTE_PENDING_KEY)
    assert selectors.rankings_next_at(now=now) == now.replace(minute=10, second=0)
    assert selectors.rankings_next_at(now=now.replace(minute=59)) == now.replace(
        hour=13, minute=0, second=0
    )
    soon = now + datetime.timedelta(seconds=60)
    HUEY.put_if_empty(RECOMPUTE_PENDING_KEY, soon.isoformat())
    try:
        assert selectors.rankings_next_at(now=now) == soon
    finally:
        HUEY.delete(RECOMPUTE_PENDING_KEY)


def test_a_vote_schedules_one_recompute_when_none_is_pending(
    league, django_capture_on_commit_callbacks
):
    HUEY.delete(RECOMPUTE_PENDING_KEY)
    HUEY.flush()
    try:
        for index in range(3):
            voter = Voter(key=f"anon:fresh-{index}", address_hash="")
            with django_capture_on_commit_callbacks(execute=True):
                tool_vote_cast(voter=voter, tool_slug=league["weak"].slug, choice="ship")
        scheduled = HUEY.scheduled()
        assert [task.name for task in scheduled] == ["rankings_refresh_pending"]
        assert HUEY.get(RECOMPUTE_PENDING_KEY, peek=True)
        assert not RankingEntry.objects.exists()
        scheduled[0].execute()
        assert HUEY.get(RECOMPUTE_PENDING_KEY, peek=True) is None
        weak = RankingEntry.objects.get(scope="", method="ship", tool=league["weak"])
        assert weak.votes == 3
    finally:
        HUEY.delete(RECOMPUTE_PENDING_KEY)
        HUEY.flush()


def test_overlapping_ship_shares_share_a_rank_on_the_page_and_in_the_api(client, db):
    coding = CategoryFactory(slug="coding")
    tools = [ToolFactory(category=coding, name=name) for name in ("Alpha", "Beta", "Gamma", "Zed")]
    for tool, (ship, skip) in zip(tools, [(2, 1), (2, 1), (1, 1), (0, 60)], strict=True):
        ships(tool, ship, skip)
    rankings_recompute(samples=5)
    page = text_of(client.get("/rankings/"))
    section = page[page.index("Ship share") :]
    assert re.search(r"1 Alpha .*? 1 Beta .*? 1 Gamma .*? 4 Zed ", section), section
    body = client.get("/api/votes/rankings").json()
    assert [(e["name"], e["rank"]) for e in body["ship_share"]] == [
        ("Alpha", 1),
        ("Beta", 1),
        ("Gamma", 1),
        ("Zed", 4),
    ]


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
    with django_assert_num_queries(3):
        client.get("/rankings/")
    with django_assert_num_queries(4):
        client.get("/rankings/coding/")
    for _ in range(4):
        extra = ToolFactory(category=league["strong"].category)
        picks(ComparisonFactory(tool_a=extra, tool_b=league["weak"]), 5, 5)
        ships(extra, 3, 3)
    rankings_recompute(samples=10)
    with django_assert_num_queries(3):
        client.get("/rankings/")
    with django_assert_num_queries(4):
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
