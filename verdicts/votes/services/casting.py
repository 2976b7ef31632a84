"""Casting and withdrawing votes, once per idempotency key, and forgetting old receipts."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, Self

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.share import Share
from verdicts.votes.identity import Voter
from verdicts.votes.models import (
    PairVote,
    Pick,
    ToolChoice,
    ToolVote,
    VoteReceipt,
    VoteStatus,
)
from verdicts.votes.selectors import PickCounts, community_share, community_shares, pick_counts
from verdicts.votes.services.errors import IdempotencyConflict, VoteError, VoteNotFound
from verdicts.votes.services.limits import vote_hold_reason, vote_rate_check
from verdicts.votes.services.races import race_retried

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


class Receipted(Protocol):
    def receipt(self) -> dict[str, Any]: ...


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _receipt_find(*, voter: Voter, key: str, fingerprint: str) -> dict[str, Any] | None:
    """The stored answer for a replayed key; refuse the key when it asked something else."""
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise VoteError(f"An idempotency key is 1 to {IDEMPOTENCY_KEY_MAX} printable characters.")
    receipt = VoteReceipt.objects.filter(voter_key=voter.key, key=key).first()
    if receipt is None:
        return None
    if receipt.fingerprint != fingerprint:
        raise IdempotencyConflict("This idempotency key was already used for a different vote.")
    return receipt.answer


def _receipt_keep(*, voter: Voter, key: str, fingerprint: str, answer: Receipted) -> None:
    if not key:
        return
    receipt = VoteReceipt(
        voter_key=voter.key, key=key, fingerprint=fingerprint, answer=answer.receipt()
    )
    receipt.full_clean(validate_unique=False, validate_constraints=False)
    receipt.save()


def _vote_take[R: Receipted](
    *,
    voter: Voter,
    idempotency_key: str,
    fingerprint: str,
    record: Callable[[], R],
    replay: Callable[[dict[str, Any]], R],
) -> R:
    """Run record in one transaction, once per idempotency key, retried after a lost race."""

    @transaction.atomic
    def once() -> R:
        replayed = _receipt_find(voter=voter, key=idempotency_key, fingerprint=fingerprint)
        if replayed is not None:
            return replay(replayed)
        answer = record()
        _receipt_keep(voter=voter, key=idempotency_key, fingerprint=fingerprint, answer=answer)
        transaction.on_commit(_rankings_refresh_soon)
        return answer

    return race_retried(once)


def _rankings_refresh_soon() -> None:
    # The tasks module imports this one, so it is imported once a vote has committed.
    from verdicts.votes.tasks import rankings_refresh_request

    rankings_refresh_request()


def _vote_set(
    *,
    model: type[ToolVote | PairVote],
    target_field: str,
    target: Tool | Comparison,
    field: str,
    value: str,
    voter: Voter,
) -> None:
    """Set the voter's one vote on target to value, or withdraw it when value is empty."""
    vote = (
        model.objects.select_for_update()
        .filter(**{target_field: target}, voter_key=voter.key)
        .first()
    )
    if not value:
        if vote is not None:
            vote.delete()
        return
    if vote is None:
        # A new vote may be held; a changed one keeps its status (a voided vote stays void).
        reason = vote_hold_reason(voter=voter, votes=model.objects.filter(**{target_field: target}))
        vote = model(
            **{target_field: target},
            voter_key=voter.key,
            status=VoteStatus.HELD if reason else VoteStatus.COUNTED,
            hold_reason=reason,
        )
    setattr(vote, field, value)
    vote.address_hash = voter.address_hash
    # The target was just read in this transaction, and the database enforces uniqueness.
    vote.full_clean(exclude=[target_field], validate_unique=False, validate_constraints=False)
    vote.save()


def tool_vote_cast(
    *, voter: Voter, tool_slug: str, choice: str, idempotency_key: str = ""
) -> ToolVoteCast:
    """Ship, skip or withdraw ("") a vote on a published tool, within the voter's rate limits.

    Replaying an idempotency key returns the first answer and changes nothing.
    """
    vote_rate_check(voter=voter)
    if choice not in ("", *ToolChoice.values):
        raise VoteError("A vote on a tool is ship, skip, or empty to withdraw.")
    return _vote_take(
        voter=voter,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint("tool", tool_slug, choice),
        record=lambda: _tool_vote_record(voter=voter, tool_slug=tool_slug, choice=choice),
        replay=ToolVoteCast.from_receipt,
    )


def _tool_vote_record(*, voter: Voter, tool_slug: str, choice: str) -> ToolVoteCast:
    tool = Tool.objects.published().filter(slug=tool_slug).only("pk", "slug").first()
    if tool is None:
        raise VoteNotFound("No published tool with that slug.")
    _vote_set(
        model=ToolVote, target_field="tool", target=tool, field="choice", value=choice, voter=voter
    )
    share = community_shares(tool_ids=[tool.pk])[tool.pk]
    return ToolVoteCast(tool=tool.slug, choice=choice, community=share)


def pair_vote_cast(
    *, voter: Voter, comparison_slug: str, pick: str, idempotency_key: str = ""
) -> PairVoteCast:
    """Pick a, b, tie or withdraw ("") on a published comparison, within the rate limits."""
    vote_rate_check(voter=voter)
    if pick not in ("", *Pick.values):
        raise VoteError("A head-to-head pick is a, b, tie, or empty to withdraw.")
    return _vote_take(
        voter=voter,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint("pair", comparison_slug, pick),
        record=lambda: _pair_vote_record(voter=voter, slug=comparison_slug, pick=pick),
        replay=PairVoteCast.from_receipt,
    )


def _pair_vote_record(*, voter: Voter, slug: str, pick: str) -> PairVoteCast:
    comparison = Comparison.objects.published().filter(slug=slug).only("pk", "slug").first()
    if comparison is None:
        raise VoteNotFound("No published comparison with that slug.")
    _vote_set(
        model=PairVote,
        target_field="comparison",
        target=comparison,
        field="pick",
        value=pick,
        voter=voter,
    )
    counts = pick_counts(comparison_ids=[comparison.pk])[comparison.pk]
    return PairVoteCast(comparison=comparison.slug, pick=pick, picks=counts)


def vote_receipts_prune() -> int:
    """Forget idempotency answers older than VOTES_RECEIPT_HOURS; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.VOTES_RECEIPT_HOURS)
    deleted, _ = VoteReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted
