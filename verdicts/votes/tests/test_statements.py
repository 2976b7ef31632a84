"""The statement budget of a vote: the rate limiter's one upsert of both buckets, the vote,
then the receipt that reads the tally (or the tally alone without a key). With Redis the
limiter runs no SQL and the budget is one statement less. The tally triggers stamp the vote's
pages within its statement (verdicts/votes/stamps.py); only a vote that outlasts the stamp's
lead, or runs inside a caller's transaction, stamps once more after the commit (off in tests).

Each count is inside the test's transaction, so the vote's transaction is a savepoint: two
statements (SAVEPOINT, RELEASE) that in production are BEGIN and COMMIT (SQLite logs both;
PostgreSQL's driver begins implicitly). On PostgreSQL a vote also runs one statement first
that turns off the wait for the disk and takes an anonymous voter's address lock.
"""

import pytest
from django.db import connection
from django.test import Client

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import Voter
from verdicts.votes.models import PairVoteTally, ToolVote, ToolVoteTally
from verdicts.votes.services.casting import pair_vote_cast, tool_vote_cast
from verdicts.votes.services.errors import VoteNotFound

SAVEPOINT = 2
# A rolled-back savepoint: ROLLBACK TO SAVEPOINT (in production, ROLLBACK instead of COMMIT).
ROLLBACK = 1
# The rate limiter's upsert of the voter's and the address's counters.
LIMITER = 1

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def high_rate_limits(settings):
    settings.VOTES_RATE_PER_VOTER = settings.VOTES_RATE_PER_ADDRESS = 10**6


def lock(voter_key: str) -> int:
    """PostgreSQL's one statement that begins a vote (limits.vote_transaction_begin)."""
    return int(connection.vendor == "postgresql")


@pytest.mark.parametrize("key", ["anon:budget", "user:1"])
def test_a_tool_vote_a_flip_a_withdraw_and_a_replay_each_take_three_statements(
    django_assert_num_queries, key
):
    tool = ToolFactory()
    voter = Voter(key=key, address_hash="budget-address")
    budget = SAVEPOINT + LIMITER + lock(key) + 2
    with django_assert_num_queries(budget):
        new = tool_vote_cast(voter=voter, tool_slug=tool.slug, choice="ship", idempotency_key="1")
    with django_assert_num_queries(budget):
        flip = tool_vote_cast(voter=voter, tool_slug=tool.slug, choice="skip", idempotency_key="2")
    with django_assert_num_queries(budget):
        gone = tool_vote_cast(voter=voter, tool_slug=tool.slug, choice="", idempotency_key="3")
    # A replay runs the vote, finds its key taken, rolls back and reads the first answer.
    with django_assert_num_queries(budget + ROLLBACK + 1):
        replay = tool_vote_cast(
            voter=voter, tool_slug=tool.slug, choice="skip", idempotency_key="2"
        )
    with django_assert_num_queries(budget):
        keyless = tool_vote_cast(voter=voter, tool_slug=tool.slug, choice="ship")
    assert [a.community.total for a in (new, flip, gone, keyless)] == [1, 1, 0, 1]
    assert (new.community.count, flip.community.count) == (1, 0)
    assert replay == flip
    assert ToolVoteTally.objects.values_list("ship", "skip").get(tool=tool) == (1, 0)


def test_a_pick_takes_the_same_three_statements(django_assert_num_queries):
    comparison = ComparisonFactory()
    voter = Voter(key="anon:picker", address_hash="budget-address")
    budget = SAVEPOINT + LIMITER + lock(voter.key) + 2
    for pick, key in (("a", "1"), ("tie", "2"), ("", "3")):
        with django_assert_num_queries(budget):
            pair_vote_cast(
                voter=voter, comparison_slug=comparison.slug, pick=pick, idempotency_key=key
            )
    with django_assert_num_queries(budget + ROLLBACK + 1):
        replay = pair_vote_cast(
            voter=voter, comparison_slug=comparison.slug, pick="tie", idempotency_key="2"
        )
    assert replay.picks.as_dict() == {"a": 0, "b": 0, "tie": 1}
    assert PairVoteTally.objects.values_list("a", "b", "tie").get(comparison=comparison) == (
        0,
        0,
        0,
    )


def test_an_unknown_target_costs_the_vote_and_one_look_at_the_key(django_assert_num_queries):
    voter = Voter(key="user:2", address_hash="")
    with (
        django_assert_num_queries(SAVEPOINT + LIMITER + lock(voter.key) + ROLLBACK + 2),
        pytest.raises(VoteNotFound, match="No published tool"),
    ):
        tool_vote_cast(voter=voter, tool_slug="nope", choice="ship", idempotency_key="k")


def test_the_api_adds_no_statement_to_the_vote(django_assert_num_queries):
    tool = ToolFactory()
    client = Client(REMOTE_ADDR="192.0.2.10")
    first = client.post(f"/api/votes/tools/{tool.slug}", {"choice": "ship"}, "application/json")
    assert first.status_code == 200
    budget = SAVEPOINT + LIMITER + lock("anon:") + 2
    for choice, key in (("skip", "a"), ("none", "b"), ("ship", "c")):
        with django_assert_num_queries(budget):
            response = client.post(
                f"/api/votes/tools/{tool.slug}",
                {"choice": choice},
                "application/json",
                headers={"Idempotency-Key": key},
            )
        assert response.status_code == 200
    assert response.json()["community"]["count"] == 1


def test_a_form_vote_adds_one_statement_for_its_redirect_and_htmx_one_for_its_fragment(
    django_assert_num_queries,
):
    tool = ToolFactory()
    client = Client(REMOTE_ADDR="192.0.2.11")
    client.post(f"/votes/tools/{tool.slug}/", {"choice": "ship"})
    budget = SAVEPOINT + LIMITER + lock("anon:") + 2
    with django_assert_num_queries(budget + 1):
        plain = client.post(
            f"/votes/tools/{tool.slug}/", {"choice": "skip", "idempotency_key": "p"}
        )
    assert plain.status_code == 303
    with django_assert_num_queries(budget + 1):
        swapped = client.post(
            f"/votes/tools/{tool.slug}/",
            {"choice": "ship", "idempotency_key": "h"},
            headers={"HX-Request": "true"},
        )
    assert swapped.status_code == 200 and "1 of 1 ship" in " ".join(swapped.text.split())
    assert ToolVote.objects.get().choice == "ship"
