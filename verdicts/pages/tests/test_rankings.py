"""The rankings pages: what they say before and after a recompute, shared ranks, query counts."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from testkit.pages import text_of
from testkit.votes import picks, ships
from verdicts.catalog.tests.factories import CategoryFactory, ComparisonFactory, ToolFactory
from verdicts.votes import selectors
from verdicts.votes.models import RankingEntry, ToolVote
from verdicts.votes.services.rankings import rankings_recompute


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


def test_rankings_pages_cost_a_fixed_number_of_queries(league, django_assert_num_queries):
    rankings_recompute(samples=10)
    client = Client()
    with django_assert_num_queries(5):
        client.get("/rankings/")
    with django_assert_num_queries(6):
        client.get("/rankings/coding/")
    for _ in range(4):
        extra = ToolFactory(category=league["strong"].category)
        picks(ComparisonFactory(tool_a=extra, tool_b=league["weak"]), 5, 5)
        ships(extra, 3, 3)
    rankings_recompute(samples=10)
    with django_assert_num_queries(5):
        client.get("/rankings/")
    with django_assert_num_queries(6):
        client.get("/rankings/coding/")


def test_the_category_switcher_is_kept_until_the_catalog_changes(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.cookies["verdicts_voter"] = "unsigned"  # renders afresh, as for any reader
    with django_capture_on_commit_callbacks(execute=True):
        ToolFactory(category=CategoryFactory(slug="coding", name="Coding"))
    assert "Coding" in text_of(client.get("/rankings/"))
    with CaptureQueriesContext(connection) as kept:
        client.get("/rankings/")
    assert not [q for q in kept.captured_queries if "catalog_category_count" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        ToolFactory(category=CategoryFactory(slug="vision", name="Vision"))
    assert "Vision" in text_of(client.get("/rankings/"))
