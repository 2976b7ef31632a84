"""The tallies: kept by triggers through every way a vote row changes, filled by the migration,
checked and rebuilt by the recount; and the content stamps a counted change moves."""

import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.common.content_versions import (
    VOTES,
    comparison_scope,
    content_last_changed,
    tool_scope,
)
from verdicts.common.models import ContentVersion
from verdicts.votes.identity import Voter, address_hash
from verdicts.votes.models import (
    AnonymousVoter,
    PairVote,
    PairVoteTally,
    ToolVote,
    ToolVoteTally,
    VoteStatus,
)
from verdicts.votes.services.casting import pair_vote_cast, tool_vote_cast
from verdicts.votes.services.rankings import rankings_recompute
from verdicts.votes.services.review import votes_review_by_address, votes_review_by_id
from verdicts.votes.services.tallies import vote_tallies_recount


@pytest.fixture(autouse=True)
def caps(settings):
    settings.VOTES_RATE_PER_VOTER = settings.VOTES_RATE_PER_ADDRESS = 10**6
    settings.VOTES_BALLOTS_PER_ADDRESS = 2
    settings.VOTES_NEW_VOTERS_PER_ADDRESS = 1000
    settings.VOTES_BOOTSTRAP_SAMPLES = 5


def tally(tool) -> tuple[int, int]:
    row = ToolVoteTally.objects.filter(tool=tool).values_list("ship", "skip").first()
    return row or (0, 0)


def picks(comparison) -> tuple[int, int, int]:
    row = PairVoteTally.objects.filter(comparison=comparison).values_list("a", "b", "tie")
    return row.first() or (0, 0, 0)


def anon(index: int, where: str = "198.51.100.1") -> Voter:
    return Voter(key=f"anon:tally-{index}", address_hash=address_hash(where))


@pytest.mark.django_db
def test_votes_flips_withdrawals_and_holds_move_the_tally_exactly():
    tool = ToolFactory()
    for i in range(4):  # the cap is two counted ballots per address: two held
        tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
    assert tally(tool) == (2, 0)
    tool_vote_cast(voter=anon(0), tool_slug=tool.slug, choice="skip")
    tool_vote_cast(voter=anon(3), tool_slug=tool.slug, choice="skip")  # held: stays out
    assert tally(tool) == (1, 1)
    tool_vote_cast(voter=anon(1), tool_slug=tool.slug, choice="")
    tool_vote_cast(voter=anon(2), tool_slug=tool.slug, choice="")  # held: nothing to take out
    assert tally(tool) == (0, 1)
    assert vote_tallies_recount(fix=False).ok


@pytest.mark.django_db
def test_reviews_admin_edits_bulk_loads_and_deletes_keep_the_tallies_honest(admin_client):
    tool, rival = ToolFactory(), ToolFactory()
    comparison = ComparisonFactory(tool_a=tool, tool_b=rival)
    for i in range(3):
        tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
        pair_vote_cast(voter=anon(i), comparison_slug=comparison.slug, pick="a")
    assert (tally(tool), picks(comparison)) == ((2, 0), (2, 0, 0))
    # The concentration page's Count lets the held one in; Void takes the run out.
    response = admin_client.post(
        "/admin/votes/toolvote/concentration/",
        {"review": "count", "address_hash": anon(0).address_hash, "kind": "tool",
         "target_id": tool.pk},
    )  # fmt: skip
    assert response.status_code == 302 and tally(tool) == (3, 0)
    votes_review_by_address(address_hash=anon(0).address_hash, status=VoteStatus.VOIDED)
    assert (tally(tool), picks(comparison)) == ((0, 0), (0, 0, 0))
    held = PairVote.objects.filter(voter_key=anon(0).key).values_list("pk", flat=True)
    votes_review_by_id(tool_vote_ids=[], pair_vote_ids=list(held), status=VoteStatus.COUNTED)
    assert picks(comparison) == (1, 0, 0)
    # An editor's change form, a bulk load and plain updates go through the same triggers.
    vote = ToolVote.objects.get(voter_key=anon(1).key)
    ToolVote.objects.filter(pk=vote.pk).update(status=VoteStatus.COUNTED, choice="skip")
    ToolVote.objects.bulk_create(
        ToolVote(tool=rival, voter_key=f"bulk-{i}", choice="ship") for i in range(5)
    )
    assert (tally(tool), tally(rival)) == ((0, 1), (5, 0))
    ToolVote.objects.filter(tool=rival, voter_key="bulk-0").update(tool=tool)
    assert (tally(tool), tally(rival)) == ((1, 1), (4, 0))
    rival.delete()  # the comparison and its picks go with it
    assert vote_tallies_recount(fix=False).ok
    assert not PairVoteTally.objects.exists()


@pytest.mark.django_db
def test_a_first_vote_records_the_anonymous_voter_once():
    tool, other = ToolFactory(), ToolFactory()
    tool_vote_cast(voter=anon(7), tool_slug=tool.slug, choice="ship")
    tool_vote_cast(voter=anon(7), tool_slug=other.slug, choice="skip")
    assert list(AnonymousVoter.objects.values_list("voter_key", "held")) == [(anon(7).key, False)]
    assert AnonymousVoter.objects.get().address_hash == anon(7).address_hash


@pytest.mark.django_db
def test_the_recount_finds_drift_and_rebuilds_it():
    tool, comparison = ToolFactory(), ComparisonFactory()
    tool_vote_cast(voter=anon(1), tool_slug=tool.slug, choice="ship")
    pair_vote_cast(voter=anon(1), comparison_slug=comparison.slug, pick="b")
    ToolVoteTally.objects.filter(tool=tool).update(ship=7)
    PairVoteTally.objects.all().delete()
    report = vote_tallies_recount(fix=False)
    assert [str(d) for d in report.drift] == [
        f"tool {tool.pk}: tally (7, 0) != counted (1, 0)",
        f"pair {comparison.pk}: tally (0, 0, 0) != counted (0, 1, 0)",
    ]
    assert not report.fixed and tally(tool) == (7, 0)
    assert vote_tallies_recount().fixed
    assert (tally(tool), picks(comparison)) == ((1, 0), (0, 1, 0))
    assert vote_tallies_recount().ok


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_tallies_from_the_votes_already_stored():
    old = migrate([("votes", "0004_vote_tallies")])
    tool, rival = ToolFactory(), ToolFactory()
    comparison = ComparisonFactory(tool_a=tool, tool_b=rival)
    votes = old.get_model("votes", "ToolVote").objects
    votes.create(tool_id=tool.pk, voter_key="old-1", choice="ship")
    votes.create(tool_id=tool.pk, voter_key="old-2", choice="skip")
    votes.create(tool_id=tool.pk, voter_key="old-3", choice="ship", status="held")
    old.get_model("votes", "PairVote").objects.create(
        comparison_id=comparison.pk, voter_key="old-1", pick="tie"
    )
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert (tally(tool), picks(comparison)) == ((1, 1), (0, 0, 1))
    ToolVote.objects.filter(voter_key="old-3").update(status=VoteStatus.COUNTED)
    assert tally(tool) == (2, 1)


@pytest.fixture
def stamping(settings):
    """Stamps are taken only while the page cache is on (the test settings turn it off)."""
    settings.PAGE_CACHE_ENABLED = True


@pytest.mark.django_db
@pytest.mark.usefixtures("stamping")
def test_a_counted_vote_stamps_its_target_and_the_votes_scope(
    django_capture_on_commit_callbacks,
):
    tool = ToolFactory()
    comparison = ComparisonFactory()
    scopes = [VOTES, tool_scope(tool.slug), comparison_scope(comparison.slug)]

    def stamps() -> list[float]:
        return [content_last_changed(scopes=[scope]) for scope in scopes]

    with django_capture_on_commit_callbacks(execute=True):
        tool_vote_cast(voter=anon(1), tool_slug=tool.slug, choice="ship")
    after_tool = stamps()
    assert after_tool[0] > 0 and after_tool[1] > 0 and after_tool[2] == 0
    # The database clock counts milliseconds: let one pass, so a second stamp is a later one.
    time.sleep(0.005)
    with django_capture_on_commit_callbacks(execute=True):
        pair_vote_cast(voter=anon(1), comparison_slug=comparison.slug, pick="a")
    after_pick = stamps()
    assert after_pick[0] > after_tool[0] and after_pick[1] == after_tool[1] and after_pick[2] > 0
    # Held votes move no figure, so they stamp nothing.
    for i in (2, 3):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            tool_vote_cast(voter=anon(i), tool_slug=tool.slug, choice="ship")
    assert ToolVote.objects.get(voter_key=anon(3).key).status == VoteStatus.HELD
    assert callbacks == []
    # Counting it after all stamps the tool and the votes scope; so does a recompute.
    time.sleep(0.005)
    with django_capture_on_commit_callbacks(execute=True):
        votes_review_by_address(address_hash=anon(3).address_hash, status=VoteStatus.COUNTED)
    after_review = stamps()
    assert after_review[0] > after_pick[0] and after_review[1] > after_pick[1]
    # A recompute stamps the votes scope after its commit, in the common stamp table (the
    # tallies' own stamps run ahead of the clock, so they may still be the latest).
    before = _table_stamp(VOTES)
    time.sleep(0.005)
    with django_capture_on_commit_callbacks(execute=True):
        rankings_recompute()
    assert _table_stamp(VOTES) > before
    assert stamps()[0] >= after_review[0]


def _table_stamp(scope: str) -> float:
    stamp = ContentVersion.objects.filter(scope=scope).values_list("changed_at", flat=True)
    return stamp.first() or 0.0


@pytest.mark.django_db
@pytest.mark.usefixtures("stamping")
def test_a_form_vote_stamps_through_the_view(django_capture_on_commit_callbacks):
    tool = ToolFactory()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/votes/tools/{tool.slug}/", {"choice": "ship"})
    assert content_last_changed(scopes=[tool_scope(tool.slug)]) > 0


@pytest.mark.django_db
@pytest.mark.usefixtures("stamping")
def test_an_editors_change_form_moves_the_tally_and_stamps_the_tool(
    admin_client, django_capture_on_commit_callbacks
):
    tool = ToolFactory()
    tool_vote_cast(voter=anon(1), tool_slug=tool.slug, choice="ship")
    vote = ToolVote.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/votes/toolvote/{vote.pk}/change/",
            {"tool": tool.pk, "choice": "skip", "status": VoteStatus.VOIDED},
        )
    assert response.status_code == 302, response.content[:500]
    assert tally(tool) == (0, 0)
    assert content_last_changed(scopes=[tool_scope(tool.slug)]) > 0
