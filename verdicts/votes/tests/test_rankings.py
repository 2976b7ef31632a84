"""The votes' rankings services: recomputing, scheduling and storing the rankings."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from testkit.pages import text_of
from verdicts.catalog.models import Tool
from verdicts.votes import selectors, tasks
from verdicts.votes.identity import Voter
from verdicts.votes.models import RankingEntry
from verdicts.votes.selectors import RECOMPUTE_PENDING_KEY
from verdicts.votes.services.casting import tool_vote_cast
from verdicts.votes.services.rankings import rankings_recompute
from verdicts.votes.tasks import rankings_refresh


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


def test_a_ranking_lists_its_leaders_only(league, monkeypatch):
    rankings_recompute(samples=10)
    monkeypatch.setattr(selectors, "RANKINGS_SHOWN", 2)
    rankings = selectors.rankings_get()
    assert [e.tool_id for e in rankings.head_to_head][:1] == [league["strong"].pk]
    assert [e.position for e in rankings.head_to_head] == [1, 2]
    assert RankingEntry.objects.filter(scope="", method="h2h").count() == 4


def test_kept_vote_totals_follow_a_new_vote(league, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    rankings_recompute(samples=10)
    before = selectors.rankings_get()
    assert selectors.rankings_get().ship_votes == before.ship_votes  # kept, still right
    with django_capture_on_commit_callbacks(execute=True):
        tool_vote_cast(
            voter=Voter(key="anon:late", address_hash=""),
            tool_slug=league["weak"].slug,
            choice="skip",
        )
    after = selectors.rankings_get()
    assert (after.ship_votes, after.uncounted) == (before.ship_votes + 1, 1)
    coding = selectors.rankings_get(scope="coding")
    assert coding.uncounted == 1 and selectors.rankings_get(scope="vision").uncounted == 0


def test_a_process_asks_huey_once_per_pending_recompute(
    league, monkeypatch, django_capture_on_commit_callbacks
):
    HUEY.delete(RECOMPUTE_PENDING_KEY)
    HUEY.flush()
    asked = []
    put_if_empty = HUEY.put_if_empty

    def counted(*args, **kwargs):
        asked.append(args)
        return put_if_empty(*args, **kwargs)

    monkeypatch.setattr(HUEY, "put_if_empty", counted)
    try:
        for index in range(3):
            voter = Voter(key=f"anon:once-{index}", address_hash="")
            with django_capture_on_commit_callbacks(execute=True):
                tool_vote_cast(voter=voter, tool_slug=league["weak"].slug, choice="ship")
        assert len(asked) == 1
        assert [task.name for task in HUEY.scheduled()] == ["rankings_refresh_pending"]
        # Once the recompute it knows of is about to start, the next vote asks again.
        monkeypatch.setattr(tasks._pending_eta, "at", timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            tool_vote_cast(
                voter=Voter(key="anon:late", address_hash=""),
                tool_slug=league["weak"].slug,
                choice="ship",
            )
        assert len(asked) == 2
        assert len(HUEY.scheduled()) == 1
    finally:
        HUEY.delete(RECOMPUTE_PENDING_KEY)
        HUEY.flush()
