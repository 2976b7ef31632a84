"""The votes scopes' stamps, kept in the tallies by the triggers: a committed vote makes its
pages stale with no stamp written after its commit, ahead of the clock by the lead; a vote that
outlasts the lead stamps again after its commit; stamps are read in one query."""

import pytest
from django.core.cache import caches
from django.test import Client

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.common.content_versions import (
    CATALOG,
    VOTES,
    comparison_scope,
    content_clock,
    content_current,
    content_last_changed,
    tool_scope,
)
from verdicts.common.models import ContentVersion
from verdicts.votes.identity import Voter
from verdicts.votes.models import TALLY_STAMP_LEAD_SECONDS, ToolVote, ToolVoteTally
from verdicts.votes.services import casting
from verdicts.votes.services.casting import pair_vote_cast, tool_vote_cast


@pytest.fixture(autouse=True)
def caps(settings):
    settings.VOTES_RATE_PER_VOTER = settings.VOTES_RATE_PER_ADDRESS = 10**6
    settings.PAGE_CACHE_ENABLED = True


def voter(index: int) -> Voter:
    return Voter(key=f"anon:stamp-{index}", address_hash=f"address-{index}")


def table_scopes() -> set[str]:
    return set(ContentVersion.objects.values_list("scope", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_committed_vote_stales_its_pages_with_no_stamp_after_its_commit():
    tool, other = ToolFactory(), ToolFactory()
    comparison = ComparisonFactory()
    before = table_scopes()
    started = content_clock()
    tool_vote_cast(voter=voter(1), tool_slug=tool.slug, choice="ship")
    assert table_scopes() == before
    assert not content_current(started=started, scopes=[tool_scope(tool.slug)])
    assert not content_current(started=started, scopes=[VOTES])
    assert content_current(started=started, scopes=[tool_scope(other.slug)])
    # Ahead of the clock by the lead: a page read before the commit is older than the vote.
    lead = ToolVoteTally.objects.get(tool=tool).changed_at - content_clock()
    assert 0 < lead <= TALLY_STAMP_LEAD_SECONDS
    started = content_clock()
    pair_vote_cast(voter=voter(1), comparison_slug=comparison.slug, pick="a")
    assert not content_current(started=started, scopes=[comparison_scope(comparison.slug)])
    assert table_scopes() == before


@pytest.mark.django_db(transaction=True)
def test_a_vote_that_outlasts_the_lead_stamps_again_after_its_commit(monkeypatch):
    tool = ToolFactory()
    monkeypatch.setattr(casting, "TALLY_STAMP_LEAD_SECONDS", 0.0)
    tool_vote_cast(voter=voter(1), tool_slug=tool.slug, choice="ship")
    stamped = ContentVersion.objects.filter(scope__in=[VOTES, tool_scope(tool.slug)])
    assert stamped.count() == 2
    assert all(row.changed_at <= content_clock() for row in stamped)


@pytest.mark.django_db(transaction=True)
def test_the_next_request_after_a_vote_through_the_api_sees_it():
    tool = ToolFactory()
    caches["pages"].clear()
    reader = f"/api/tools/{tool.slug}"
    first = Client().get(reader).json()["community"]
    assert Client().get(reader).json()["community"] == first
    response = Client().post(
        f"/api/votes/tools/{tool.slug}",
        {"choice": "ship"},
        "application/json",
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 200
    after = Client().get(reader).json()["community"]
    assert (first["total"], after["total"]) == (0, 1)


@pytest.mark.django_db
def test_the_same_choice_again_changes_nothing_and_stamps_nothing():
    tool = ToolFactory()
    tool_vote_cast(voter=voter(1), tool_slug=tool.slug, choice="ship")
    tally = ToolVoteTally.objects.get(tool=tool)
    vote = ToolVote.objects.get()
    tool_vote_cast(voter=voter(1), tool_slug=tool.slug, choice="ship")
    assert ToolVoteTally.objects.get(tool=tool).changed_at == tally.changed_at
    assert ToolVote.objects.get().updated_at == vote.updated_at
    tool_vote_cast(voter=voter(1), tool_slug=tool.slug, choice="skip")
    assert ToolVoteTally.objects.get(tool=tool).changed_at > tally.changed_at
    assert ToolVote.objects.get().updated_at > vote.updated_at


@pytest.mark.django_db
def test_every_scope_is_read_in_one_query(django_assert_num_queries):
    tool = ToolFactory()
    comparison = ComparisonFactory()
    tool_vote_cast(voter=voter(1), tool_slug=tool.slug, choice="ship")
    scopes = [CATALOG, VOTES, tool_scope(tool.slug), comparison_scope(comparison.slug)]
    with django_assert_num_queries(1):
        latest = content_last_changed(scopes=scopes)
    assert latest == ToolVoteTally.objects.get(tool=tool).changed_at
    assert content_last_changed(scopes=[comparison_scope(comparison.slug)]) == 0.0
