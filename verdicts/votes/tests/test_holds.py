"""Held votes: the per-address ballot cap, the daily new-voter cap, and what the figures count."""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import Voter, address_hash
from verdicts.votes.models import (
    AnonymousVoter,
    HoldReason,
    PairVote,
    RankingEntry,
    ToolVote,
    VoteStatus,
)
from verdicts.votes.selectors import community_shares, pick_counts, rankings_get
from verdicts.votes.services.casting import pair_vote_cast, tool_vote_cast
from verdicts.votes.services.rankings import rankings_recompute

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("high_rate_limits"),
]

HOME = address_hash("203.0.113.7")
AWAY = address_hash("203.0.113.8")


@pytest.fixture
def high_rate_limits(settings):
    settings.VOTES_RATE_PER_VOTER = 10**6
    settings.VOTES_RATE_PER_ADDRESS = 10**6
    settings.VOTES_BALLOTS_PER_ADDRESS = 3
    settings.VOTES_NEW_VOTERS_PER_ADDRESS = 5


def anon(index: int, where: str = HOME) -> Voter:
    return Voter(key=f"anon:{where[:6]}{index:04d}", address_hash=where)


def statuses(votes) -> list[tuple[str, str]]:
    return list(votes.order_by("pk").values_list("status", "hold_reason"))


def test_ballots_past_the_cap_from_one_address_are_held_per_target():
    tool, other = ToolFactory(), ToolFactory()
    answers = [tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship") for i in range(5)]
    assert [a.community.total for a in answers] == [1, 2, 3, 3, 3]
    assert [a.choice for a in answers] == ["ship"] * 5  # the voter is not told
    assert (
        statuses(ToolVote.objects.filter(tool=tool))
        == [("counted", "")] * 3 + [("held", HoldReason.BALLOTS)] * 2
    )
    # The cap is per target and per address.
    tool_vote_cast(voter=anon(0), tool_slug=other.slug, choice="ship")
    tool_vote_cast(voter=anon(0, AWAY), tool_slug=tool.slug, choice="skip")
    shares = community_shares(tool_ids=[tool.pk, other.pk])
    assert (shares[tool.pk].count, shares[tool.pk].total) == (3, 4)
    assert shares[other.pk].total == 1


def test_a_changed_vote_keeps_its_status_and_a_withdrawn_one_frees_the_slot():
    tool = ToolFactory()
    for i in range(4):
        tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
    tool_vote_cast(voter=anon(3), tool_slug=tool.slug, choice="skip")
    held = ToolVote.objects.get(voter_key=anon(3).key)
    assert (held.choice, held.status) == ("skip", VoteStatus.HELD)
    ToolVote.objects.filter(voter_key=anon(0).key).update(status=VoteStatus.VOIDED)
    tool_vote_cast(voter=anon(0), tool_slug=tool.slug, choice="skip")
    assert ToolVote.objects.get(voter_key=anon(0).key).status == VoteStatus.VOIDED
    tool_vote_cast(voter=anon(1), tool_slug=tool.slug, choice="")
    answer = tool_vote_cast(voter=anon(9), tool_slug=tool.slug, choice="ship")
    assert answer.community.total == 2  # one counted left + the new one; voided not counted
    assert ToolVote.objects.get(voter_key=anon(9).key).status == VoteStatus.COUNTED


def test_voters_past_the_daily_new_voter_cap_have_every_vote_held():
    tools = [ToolFactory() for _ in range(7)]
    for i, tool in enumerate(tools):
        tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
    assert (
        list(AnonymousVoter.objects.order_by("pk").values_list("held", flat=True))
        == [False] * 5 + [True] * 2
    )
    late = anon(6)
    pair = ComparisonFactory(tool_a=tools[0], tool_b=tools[1])
    pair_vote_cast(voter=late, comparison_slug=pair.slug, pick="a")
    assert statuses(PairVote.objects.all()) == [("held", HoldReason.NEW_VOTERS)]
    assert pick_counts(comparison_ids=[pair.pk])[pair.pk].total == 0
    # Known voters from the address are still counted; another address has its own cap.
    pair_vote_cast(voter=anon(1), comparison_slug=pair.slug, pick="b")
    pair_vote_cast(voter=anon(0, AWAY), comparison_slug=pair.slug, pick="b")
    assert pick_counts(comparison_ids=[pair.pk])[pair.pk].b == 2
    # A day later the address may bring new voters again.
    AnonymousVoter.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    tool_vote_cast(voter=anon(20), tool_slug=tools[6].slug, choice="ship")
    assert ToolVote.objects.get(voter_key=anon(20).key).status == VoteStatus.COUNTED


def test_signed_in_users_are_never_held(django_user_model):
    tool = ToolFactory()
    for i in range(3):
        tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
    for i in range(3):
        user = django_user_model.objects.create_user(f"reader{i}")
        voter = Voter(key=f"user:{user.pk}", address_hash=HOME)
        tool_vote_cast(voter=voter, tool_slug=tool.slug, choice="skip")
    assert community_shares(tool_ids=[tool.pk])[tool.pk].total == 6
    assert not AnonymousVoter.objects.filter(voter_key__startswith="user:").exists()


def test_held_votes_stay_out_of_rankings_and_their_tally():
    tool, rival = ToolFactory(), ToolFactory()
    pair = ComparisonFactory(tool_a=tool, tool_b=rival)
    for i in range(6):
        tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
        pair_vote_cast(voter=anon(i), comparison_slug=pair.slug, pick="a")
    rankings_recompute(samples=20)
    entry = RankingEntry.objects.get(method=RankingEntry.Method.SHIP_SHARE, scope="", tool=tool)
    assert entry.votes == 3
    head = RankingEntry.objects.get(method=RankingEntry.Method.HEAD_TO_HEAD, scope="", tool=tool)
    assert head.votes == 3
    rankings = rankings_get()
    assert (rankings.ship_votes, rankings.picks) == (3, 3)


@override_settings(VOTES_BALLOTS_PER_ADDRESS=2, VOTES_NEW_VOTERS_PER_ADDRESS=100)
def test_cookie_less_form_posts_mint_voters_that_are_held_past_the_cap():
    tool = ToolFactory()
    for _ in range(5):
        response = Client(REMOTE_ADDR="192.0.2.44").post(
            f"/votes/tools/{tool.slug}/", {"choice": "ship"}
        )
        assert response.status_code == 303
    votes = ToolVote.objects.filter(tool=tool)
    assert votes.values("voter_key").distinct().count() == 5
    assert votes.filter(status=VoteStatus.COUNTED).count() == 2
    assert set(votes.values_list("address_hash", flat=True)) == {address_hash("192.0.2.44")}
    page = Client().get(f"/tools/{tool.slug}/").content.decode()
    assert "2 of 2 ship" in " ".join(re.sub(r"<[^>]+>", " ", page).split())
