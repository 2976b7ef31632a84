"""Many voters at once, on whichever database DATABASE_URL names (SQLite by default):

DATABASE_URL=postgres://postgres@127.0.0.1:5432/verdicts_votes .venv/bin/pytest verdicts/votes
"""

import random
import re
from functools import partial

import pytest
from django.db.models import Count
from django.test import Client, override_settings

from testkit.concurrency import threads_race
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import Voter, address_hash
from verdicts.votes.models import PairVote, ToolVote, VoteStatus
from verdicts.votes.selectors import community_shares
from verdicts.votes.services.casting import pair_vote_cast, tool_vote_cast
from verdicts.votes.services.tallies import vote_tallies_recount

VOTERS = 12
ACTIONS = 14


def post(client: Client, url: str, payload: dict, key: str):
    return client.post(url, payload, "application/json", headers={"Idempotency-Key": key})


def twin(client: Client, address: str) -> Client:
    """A second connection of the same voter: same cookies, same address."""
    other = Client(REMOTE_ADDR=address)
    other.cookies = client.cookies
    return other


def voter_run(index: int, tools, comparisons) -> dict:
    """One voter's random walk; returns the last acknowledged state of everything it touched."""
    address = f"10.77.0.{index}"
    client = Client(REMOTE_ADDR=address)
    rng = random.Random(index)
    last: dict[tuple[str, int], str | None] = {}
    for step in range(ACTIONS):
        key = f"v{index}-s{step}"
        if rng.random() < 0.6:
            tool = rng.choice(tools)
            choice = rng.choice(["ship", "skip", "ship", "none"])
            url, payload, target = f"/api/votes/tools/{tool.slug}", {"choice": choice}, tool
            kind, value = "tool", None if choice == "none" else choice
        else:
            comparison = rng.choice(comparisons)
            pick = rng.choice(["a", "b", "tie", "none"])
            url, payload, target = (
                f"/api/votes/comparisons/{comparison.slug}",
                {"pick": pick},
                comparison,
            )
            kind, value = "pair", None if pick == "none" else pick
        if step > 0 and rng.random() < 0.25:
            # The same request sent twice at once, as a client retrying on a timeout would.
            raced = threads_race(
                [partial(post_answer, twin(client, address), url, payload, key) for _ in range(2)]
            )
            assert raced.errors == []
            assert raced.results[0] == raced.results[1]
            status, answer = raced.results[0]
        else:
            response = post(client, url, payload, key)
            status, answer = response.status_code, response.json()
        assert status == 200, answer
        last[(kind, target.pk)] = value
        if rng.random() < 0.3:
            replay = post(client, url, payload, key)
            assert (replay.status_code, replay.json()) == (status, answer)
    return last


def post_answer(client: Client, url: str, payload: dict, key: str) -> tuple[int, dict]:
    response = post(client, url, payload, key)
    return response.status_code, response.json()


@pytest.mark.django_db(transaction=True)
@override_settings(VOTES_RATE_PER_VOTER=10**6, VOTES_RATE_PER_ADDRESS=10**6)
def test_concurrent_votes_flips_and_replays_lose_and_double_nothing():
    tools = [ToolFactory() for _ in range(3)]
    comparisons = [
        ComparisonFactory(tool_a=tools[0], tool_b=tools[1]),
        ComparisonFactory(tool_a=tools[1], tool_b=tools[2]),
    ]
    raced = threads_race([partial(voter_run, index, tools, comparisons) for index in range(VOTERS)])
    assert raced.errors == []
    outcomes = raced.results

    for index, last in enumerate(outcomes):
        hashed = address_hash(f"10.77.0.{index}")
        stored_tools = dict(
            ToolVote.objects.filter(address_hash=hashed).values_list("tool_id", "choice")
        )
        stored_pairs = dict(
            PairVote.objects.filter(address_hash=hashed).values_list("comparison_id", "pick")
        )
        for (kind, pk), value in last.items():
            stored = (stored_tools if kind == "tool" else stored_pairs).get(pk)
            assert stored == value, (index, kind, pk)
        touched_tools = {pk for kind, pk in last if kind == "tool"}
        touched_pairs = {pk for kind, pk in last if kind == "pair"}
        assert set(stored_tools) <= touched_tools and set(stored_pairs) <= touched_pairs
        assert (
            ToolVote.objects.filter(address_hash=hashed).values("voter_key").distinct().count() <= 1
        )

    doubled_tools = (
        ToolVote.objects.values("tool", "voter_key").annotate(n=Count("id")).filter(n__gt=1)
    )
    doubled_pairs = (
        PairVote.objects.values("comparison", "voter_key").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not doubled_tools.exists() and not doubled_pairs.exists()

    reader = Client()
    for tool in tools:
        votes = ToolVote.objects.filter(tool=tool)
        ships, total = votes.filter(choice="ship").count(), votes.count()
        community = reader.get(f"/api/tools/{tool.slug}").json()["community"]
        assert (community["count"], community["total"]) == (ships, total)
        page = " ".join(
            re.sub(r"<[^>]+>", " ", reader.get(f"/tools/{tool.slug}/").content.decode()).split()
        )
        if total:
            assert f"{ships} of {total} ship" in page
    for comparison in comparisons:
        votes = PairVote.objects.filter(comparison=comparison)
        counts = [votes.filter(pick=pick).count() for pick in ("a", "b", "tie")]
        page = " ".join(
            re.sub(
                r"<[^>]+>", " ", reader.get(comparison.get_absolute_url()).content.decode()
            ).split()
        )
        a, b = comparison.tool_a.name, comparison.tool_b.name
        assert f"{a} {counts[0]} {b} {counts[1]} Too close to call {counts[2]}" in page


def hammer(index: int, tools, comparison) -> int:
    """New votes, flips and withdrawals as fast as one thread can cast them; three threads
    share each voter, and every four voters share an address (so some votes are held)."""
    voter = Voter(
        key=f"anon:hammer-{index // 3}", address_hash=address_hash(f"10.78.0.{index // 12}")
    )
    rng = random.Random(index)
    for _ in range(ACTIONS * 2):
        if rng.random() < 0.7:
            tool = rng.choice(tools)
            tool_vote_cast(
                voter=voter, tool_slug=tool.slug, choice=rng.choice(["ship", "skip", ""])
            )
        else:
            pair_vote_cast(
                voter=voter, comparison_slug=comparison.slug, pick=rng.choice(["a", "b", "tie", ""])
            )
    # Every voter ends with a vote on the first tool: four voters an address, a cap of three.
    tool_vote_cast(voter=voter, tool_slug=tools[0].slug, choice="ship")
    return index


@pytest.mark.django_db(transaction=True)
@override_settings(
    VOTES_RATE_PER_VOTER=10**6,
    VOTES_RATE_PER_ADDRESS=10**6,
    VOTES_BALLOTS_PER_ADDRESS=3,
    VOTES_NEW_VOTERS_PER_ADDRESS=1000,
)
def test_hammered_tallies_equal_a_recount():
    tools = [ToolFactory() for _ in range(2)]
    comparison = ComparisonFactory(tool_a=tools[0], tool_b=tools[1])
    raced = threads_race([partial(hammer, index, tools, comparison) for index in range(VOTERS * 2)])
    assert raced.errors == []
    report = vote_tallies_recount(fix=False)
    assert report.ok, [str(drift) for drift in report.drift]
    assert ToolVote.objects.filter(tool=tools[0], status=VoteStatus.HELD).exists()
    shares = community_shares(tool_ids=[tool.pk for tool in tools])
    for tool in tools:
        counted = ToolVote.objects.filter(tool=tool, status=VoteStatus.COUNTED)
        assert (shares[tool.pk].count, shares[tool.pk].total) == (
            counted.filter(choice="ship").count(),
            counted.count(),
        )
        # No address has more counted ballots on a tool than the cap, however the votes raced.
        per_address = counted.values("address_hash").annotate(n=Count("id"))
        assert max(row["n"] for row in per_address) <= 3
