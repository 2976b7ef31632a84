from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.utils import timezone

from testkit.pages import text_of
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import Voter
from verdicts.votes.models import PairVote, ToolVote, VoteReceipt
from verdicts.votes.selectors import PickCounts, community_shares
from verdicts.votes.services.casting import (
    PairVoteCast,
    ToolVoteCast,
    pair_vote_cast,
    tool_vote_cast,
    vote_receipts_prune,
)
from verdicts.votes.tests.voting import vote


@pytest.mark.django_db
def test_voting_again_changes_the_vote_and_withdrawing_removes_it(client):
    tool = ToolFactory()
    vote(client, tool, "ship")
    vote(client, tool, "skip")
    assert list(ToolVote.objects.values_list("choice", flat=True)) == ["skip"]
    assert community_shares(tool_ids=[tool.pk])[tool.pk].total == 1
    vote(client, tool, "withdraw")
    assert not ToolVote.objects.exists()
    assert "—" in text_of(client.get(f"/tools/{tool.slug}/"))


@pytest.mark.django_db
def test_votes_on_unpublished_tools_and_comparisons_are_refused(client):
    draft = ToolFactory(status=Tool.Status.DRAFT)
    assert vote(client, draft, "ship").status_code == 404
    comparison = ComparisonFactory(tool_b=draft)
    response = client.post(f"/votes/comparisons/{comparison.slug}/", {"pick": "a"})
    assert response.status_code == 404
    assert not ToolVote.objects.exists() and not PairVote.objects.exists()


@pytest.mark.django_db
def test_a_bad_choice_gets_a_clear_error_and_changes_nothing(client):
    tool = ToolFactory()
    vote(client, tool, "ship")
    response = vote(client, tool, "maybe")
    assert response.status_code == 400
    assert "ship, skip" in text_of(response)
    assert ToolVote.objects.get().choice == "ship"


@pytest.mark.django_db
def test_a_replayed_idempotency_key_gives_the_same_answer_and_no_new_effect(client):
    tool = ToolFactory()
    first = client.post(
        f"/api/votes/tools/{tool.slug}",
        {"choice": "ship"},
        "application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    Client(REMOTE_ADDR="10.9.9.9").post(f"/votes/tools/{tool.slug}/", {"choice": "skip"})
    vote(client, tool, "skip")  # the first voter changes their mind after the first answer
    replay = client.post(
        f"/api/votes/tools/{tool.slug}",
        {"choice": "ship"},
        "application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert first.json()["community"]["total"] == 1
    assert ToolVote.objects.filter(choice="skip").count() == 2
    assert VoteReceipt.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_payload_is_refused(client):
    tool = ToolFactory()
    vote(client, tool, "ship", idempotency_key="form-1")
    response = vote(client, tool, "skip", idempotency_key="form-1")
    assert response.status_code == 422
    assert ToolVote.objects.get().choice == "ship"


@pytest.mark.django_db
def test_keys_are_per_voter(client):
    tool = ToolFactory()
    vote(client, tool, "ship", idempotency_key="same")
    assert vote(Client(), tool, "skip", idempotency_key="same").status_code == 303
    assert sorted(ToolVote.objects.values_list("choice", flat=True)) == ["ship", "skip"]


@pytest.mark.django_db
@override_settings(VOTES_RECEIPT_HOURS=1)
def test_old_idempotency_receipts_are_pruned(client):
    tool = ToolFactory()
    vote(client, tool, "ship", idempotency_key="old")
    vote(client, tool, "skip", idempotency_key="new")
    VoteReceipt.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=2))
    assert vote_receipts_prune() == 1
    assert list(VoteReceipt.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_vote_of_one_voter():
    tool = ToolFactory()
    comparison = ComparisonFactory()
    ToolVote.objects.create(tool=tool, voter_key="anon:x", choice="ship")
    PairVote.objects.create(comparison=comparison, voter_key="anon:x", pick="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolVote.objects.create(tool=tool, voter_key="anon:x", choice="skip")
    with pytest.raises(IntegrityError), transaction.atomic():
        PairVote.objects.create(comparison=comparison, voter_key="anon:x", pick="b")


@pytest.mark.django_db
def test_a_cast_answers_with_a_typed_result_that_a_replay_gives_back_equal():
    comparison = ComparisonFactory()
    voter = Voter(key="anon:typed", address_hash="")
    first = tool_vote_cast(
        voter=voter, tool_slug=comparison.tool_a.slug, choice="ship", idempotency_key="t-1"
    )
    assert isinstance(first, ToolVoteCast)
    assert (first.tool, first.choice) == (comparison.tool_a.slug, "ship")
    assert (first.community.count, first.community.total) == (1, 1)
    replay = tool_vote_cast(
        voter=voter, tool_slug=comparison.tool_a.slug, choice="ship", idempotency_key="t-1"
    )
    assert replay == first
    # The receipt keeps the answer as JSON, as it always has.
    receipt = VoteReceipt.objects.get(key="t-1").answer
    assert receipt == {
        "tool": comparison.tool_a.slug,
        "choice": "ship",
        "community": {"count": 1, "total": 1},
    }
    withdrawn = pair_vote_cast(voter=voter, comparison_slug=comparison.slug, pick="")
    assert withdrawn == PairVoteCast(comparison=comparison.slug, pick="", picks=PickCounts())
