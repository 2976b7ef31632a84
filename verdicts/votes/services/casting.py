"""Casting and withdrawing votes, once per idempotency key, and forgetting old receipts."""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Self

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from verdicts.common.content_versions import (
    VOTES,
    comparison_scope,
    content_changed,
    tool_scope,
)
from verdicts.common.share import Share
from verdicts.votes.identity import Voter
from verdicts.votes.models import (
    TALLY_STAMP_LEAD_SECONDS,
    Pick,
    ToolChoice,
    VoteReceipt,
    VoteStatus,
)
from verdicts.votes.selectors import PickCounts, community_share
from verdicts.votes.services.ballots import (
    PAIR,
    TOOL,
    Ballot,
    ballot_counts,
    ballot_receipt_keep,
    ballot_set,
    ballot_withdraw,
)
from verdicts.votes.services.errors import IdempotencyConflict, VoteError, VoteNotFound
from verdicts.votes.services.limits import vote_rate_check, vote_transaction_begin

IDEMPOTENCY_KEY_MAX = 100


@dataclass(frozen=True)
class ToolVoteCast:
    """The answer to a tool vote: the voter's choice now ("" when none) and the fresh share."""

    tool: str
    choice: str
    community: Share

    def receipt(self) -> dict[str, Any]:
        """The answer as its idempotency receipt keeps it, in JSON."""
        share = self.community
        return {
            "tool": self.tool,
            "choice": self.choice or None,
            "community": {"count": share.count, "total": share.total},
        }

    @classmethod
    def from_receipt(cls, answer: dict[str, Any]) -> Self:
        return cls(
            tool=answer["tool"],
            choice=answer["choice"] or "",
            community=community_share(**answer["community"]),
        )


@dataclass(frozen=True)
class PairVoteCast:
    """The answer to a head-to-head pick: the voter's pick now ("" when none) and the counts."""

    comparison: str
    pick: str
    picks: PickCounts

    def receipt(self) -> dict[str, Any]:
        """The answer as its idempotency receipt keeps it, in JSON."""
        return {
            "comparison": self.comparison,
            "pick": self.pick or None,
            "picks": self.picks.as_dict(),
        }

    @classmethod
    def from_receipt(cls, answer: dict[str, Any]) -> Self:
        return cls(
            comparison=answer["comparison"],
            pick=answer["pick"] or "",
            picks=PickCounts(**answer["picks"]),
        )


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class _NoAnswer(Exception):
    """No target, or the key was used already: the transaction rolls back and we look why."""


def _receipt_find(*, voter: Voter, key: str, fingerprint: str) -> dict[str, Any] | None:
    """The stored answer for a replayed key; refuse the key when it asked something else."""
    if not key:
        return None
    receipt = VoteReceipt.objects.filter(voter_key=voter.key, key=key).first()
    if receipt is None:
        return None
    if receipt.fingerprint != fingerprint:
        raise IdempotencyConflict("This idempotency key was already used for a different vote.")
    return receipt.answer


def _vote_take(
    *,
    ballot: Ballot,
    scope: str,
    voter: Voter,
    slug: str,
    value: str,
    idempotency_key: str,
    fingerprint: str,
    answer: Callable[[str, tuple[int, ...]], dict[str, Any]],
) -> dict[str, Any]:
    """Record the vote and its answer in one transaction, once per idempotency key.

    The rate limits are counted first, in the same transaction. The receipt is written last,
    with the answer: a key used already makes it write nothing, and then the vote is rolled
    back and the first answer given (a replay costs one statement more than a vote, so that a
    vote costs no lookup of its key first).

    Only a counted vote stamps its pages, and the tally triggers do it within the vote's
    statement, ahead of the clock by TALLY_STAMP_LEAD_SECONDS (verdicts/votes/stamps.py).
    The vote stamps them again after its commit only when that lead may not cover the commit:
    when it took longer than the lead, or ran inside a caller's transaction, whose commit
    comes later.
    """
    key = idempotency_key
    if key and (len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable()):
        raise VoteError(f"An idempotency key is 1 to {IDEMPOTENCY_KEY_MAX} printable characters.")
    now = timezone.now()
    nested = connection.in_atomic_block
    try:
        with transaction.atomic():
            # Inside the vote's transaction, so the rate counters are written in the same
            # commit rather than one of their own; a refused vote counts no hit.
            vote_rate_check(voter=voter)
            vote_transaction_begin(voter=voter)
            # Before the statement whose triggers read the clock for the stamp.
            stamped = time.monotonic()
            if value:
                status = ballot_set(ballot=ballot, slug=slug, voter=voter, value=value, now=now)
                if not status:
                    raise _NoAnswer
            else:
                status = ballot_withdraw(ballot=ballot, slug=slug, voter=voter)
            if key:
                given = ballot_receipt_keep(
                    ballot=ballot,
                    slug=slug,
                    voter=voter,
                    value=value,
                    key=key,
                    fingerprint=fingerprint,
                    now=now,
                )
            else:
                counts = ballot_counts(ballot=ballot, slug=slug)
                given = answer(*counts) if counts else None
            if given is None:
                raise _NoAnswer
            counted = status == VoteStatus.COUNTED
            if counted:
                if nested:
                    content_changed(VOTES, scope, durable=False)
                transaction.on_commit(_rankings_refresh_soon)
    except _NoAnswer:
        stored = _receipt_find(voter=voter, key=key, fingerprint=fingerprint)
        if stored is None:
            raise VoteNotFound(f"No published {ballot.noun} with that slug.") from None
        return stored
    if counted and not nested and time.monotonic() - stamped >= TALLY_STAMP_LEAD_SECONDS:
        # Outside any transaction now: stamped at once, after the commit.
        content_changed(VOTES, scope, durable=False)
    return given


def _rankings_refresh_soon() -> None:
    # The tasks module imports this one, so it is imported once a vote has committed.
    from verdicts.votes.tasks import rankings_refresh_request

    rankings_refresh_request()


def tool_vote_cast(
    *, voter: Voter, tool_slug: str, choice: str, idempotency_key: str = ""
) -> ToolVoteCast:
    """Ship, skip or withdraw ("") a vote on a published tool, within the voter's rate limits.

    Replaying an idempotency key returns the first answer and changes nothing.
    """
    if choice not in ("", *ToolChoice.values):
        raise VoteError("A vote on a tool is ship, skip, or empty to withdraw.")

    def answer(slug: str, counts: tuple[int, ...]) -> dict[str, Any]:
        ship, skip = counts
        community = community_share(count=ship, total=ship + skip)
        return ToolVoteCast(tool=slug, choice=choice, community=community).receipt()

    given = _vote_take(
        ballot=TOOL,
        scope=tool_scope(tool_slug),
        voter=voter,
        slug=tool_slug,
        value=choice,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint("tool", tool_slug, choice),
        answer=answer,
    )
    return ToolVoteCast.from_receipt(given)


def pair_vote_cast(
    *, voter: Voter, comparison_slug: str, pick: str, idempotency_key: str = ""
) -> PairVoteCast:
    """Pick a, b, tie or withdraw ("") on a published comparison, within the rate limits."""
    if pick not in ("", *Pick.values):
        raise VoteError("A head-to-head pick is a, b, tie, or empty to withdraw.")

    def answer(slug: str, counts: tuple[int, ...]) -> dict[str, Any]:
        return PairVoteCast(comparison=slug, pick=pick, picks=PickCounts(*counts)).receipt()

    given = _vote_take(
        ballot=PAIR,
        scope=comparison_scope(comparison_slug),
        voter=voter,
        slug=comparison_slug,
        value=pick,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint("pair", comparison_slug, pick),
        answer=answer,
    )
    return PairVoteCast.from_receipt(given)


def vote_receipts_prune() -> int:
    """Forget idempotency answers older than VOTES_RECEIPT_HOURS; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.VOTES_RECEIPT_HOURS)
    deleted, _ = VoteReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted
