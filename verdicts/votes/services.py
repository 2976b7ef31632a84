"""Writes of community votes: casting, withdrawing, rate limits and stored rankings."""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.ratelimit import rate_hit
from verdicts.votes.identity import Voter
from verdicts.votes.models import PairVote, Pick, RankingEntry, ToolChoice, ToolVote, VoteReceipt
from verdicts.votes.ranking import (
    Game,
    Ranked,
    head_to_head_ranking,
    rank_by_intervals,
    ship_share_ranking,
)
from verdicts.votes.selectors import community_shares, pick_counts

# A race between two first votes of one voter ends in IntegrityError for the loser; its
# transaction rolled back whole, so trying again sees the winner's row and updates it.
ATTEMPTS = 5
IDEMPOTENCY_KEY_MAX = 100


class VoteError(Exception):
    """A vote that cannot be taken; status is the HTTP status that says why."""

    status = 400


class VoteNotFound(VoteError):
    status = 404


class IdempotencyConflict(VoteError):
    status = 422


class RateLimited(VoteError):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def vote_rate_check(*, voter: Voter) -> None:
    """Count a vote attempt against the voter's and the address's limits; raise when over."""
    window = settings.VOTES_RATE_WINDOW
    waits = [
        rate_hit(bucket=f"voter:{voter.key}", limit=settings.VOTES_RATE_PER_VOTER, window=window),
        rate_hit(
            bucket=f"address:{voter.address_hash}",
            limit=settings.VOTES_RATE_PER_ADDRESS,
            window=window,
        ),
    ]
    if max(waits):
        raise RateLimited("Too many votes; try again shortly.", retry_after=max(waits))


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _receipt_find(*, voter: Voter, key: str, fingerprint: str) -> dict | None:
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


def _receipt_keep(*, voter: Voter, key: str, fingerprint: str, answer: dict) -> None:
    if not key:
        return
    receipt = VoteReceipt(voter_key=voter.key, key=key, fingerprint=fingerprint, answer=answer)
    receipt.full_clean(validate_unique=False, validate_constraints=False)
    receipt.save()


def _retrying[T](action: Callable[[], T]) -> T:
    for _ in range(ATTEMPTS - 1):
        try:
            return action()
        except IntegrityError:
            continue
    return action()


def _vote_take(
    *, voter: Voter, idempotency_key: str, fingerprint: str, record: Callable[[], dict]
) -> dict:
    """Run record in one transaction, once per idempotency key, retried after a lost race."""

    @transaction.atomic
    def once() -> dict:
        replayed = _receipt_find(voter=voter, key=idempotency_key, fingerprint=fingerprint)
        if replayed is not None:
            return replayed
        answer = record()
        _receipt_keep(voter=voter, key=idempotency_key, fingerprint=fingerprint, answer=answer)
        transaction.on_commit(_rankings_refresh_soon)
        return answer

    return _retrying(once)


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
        vote = model(**{target_field: target}, voter_key=voter.key)
    setattr(vote, field, value)
    vote.address_hash = voter.address_hash
    # The target was just read in this transaction, and the database enforces uniqueness.
    vote.full_clean(exclude=[target_field], validate_unique=False, validate_constraints=False)
    vote.save()


def tool_vote_cast(*, voter: Voter, tool_slug: str, choice: str, idempotency_key: str = "") -> dict:
    """Ship, skip or withdraw ("") a vote on a published tool; the answer carries fresh counts.

    Replaying an idempotency key returns the first answer and changes nothing.
    """
    if choice not in ("", *ToolChoice.values):
        raise VoteError("A vote on a tool is ship, skip, or empty to withdraw.")
    return _vote_take(
        voter=voter,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint("tool", tool_slug, choice),
        record=lambda: _tool_vote_record(voter=voter, tool_slug=tool_slug, choice=choice),
    )


def _tool_vote_record(*, voter: Voter, tool_slug: str, choice: str) -> dict:
    tool = Tool.objects.published().filter(slug=tool_slug).only("pk", "slug").first()
    if tool is None:
        raise VoteNotFound("No published tool with that slug.")
    _vote_set(
        model=ToolVote, target_field="tool", target=tool, field="choice", value=choice, voter=voter
    )
    share = community_shares(tool_ids=[tool.pk])[tool.pk]
    return {
        "tool": tool.slug,
        "choice": choice or None,
        "community": {"count": share.count, "total": share.total},
    }


def pair_vote_cast(
    *, voter: Voter, comparison_slug: str, pick: str, idempotency_key: str = ""
) -> dict:
    """Pick a, b, tie or withdraw ("") on a published comparison; the answer has fresh counts."""
    if pick not in ("", *Pick.values):
        raise VoteError("A head-to-head pick is a, b, tie, or empty to withdraw.")
    return _vote_take(
        voter=voter,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint("pair", comparison_slug, pick),
        record=lambda: _pair_vote_record(voter=voter, slug=comparison_slug, pick=pick),
    )


def _pair_vote_record(*, voter: Voter, slug: str, pick: str) -> dict:
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
    return {"comparison": comparison.slug, "pick": pick or None, "picks": counts.as_dict()}


def vote_receipts_prune() -> int:
    """Forget idempotency answers older than VOTES_RECEIPT_HOURS; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.VOTES_RECEIPT_HOURS)
    deleted, _ = VoteReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def rankings_recompute(
    *, samples: int | None = None, seed: int = 0, progress: Callable[[], None] | None = None
) -> int:
    """Refit both rankings from all votes on published tools and store them; returns rows."""
    samples = settings.VOTES_BOOTSTRAP_SAMPLES if samples is None else samples
    picks = (
        PairVote.objects.filter(comparison__in=Comparison.objects.published())
        .values("comparison__tool_a_id", "comparison__tool_b_id")
        .annotate(
            a=Count("id", filter=Q(pick=Pick.A)),
            b=Count("id", filter=Q(pick=Pick.B)),
            tie=Count("id", filter=Q(pick=Pick.TIE)),
        )
        .order_by()
    )
    games = [
        Game(
            row["comparison__tool_a_id"],
            row["comparison__tool_b_id"],
            row["a"],
            row["b"],
            row["tie"],
        )
        for row in picks
    ]
    ships = (
        ToolVote.objects.filter(tool__status=Tool.Status.PUBLISHED)
        .values("tool_id")
        .annotate(ships=Count("id", filter=Q(choice=ToolChoice.SHIP)), total=Count("id"))
        .order_by()
    )
    ship_counts = {row["tool_id"]: (row["ships"], row["total"]) for row in ships}
    categories = dict(Tool.objects.published().values_list("pk", "category__slug"))
    head_to_head = head_to_head_ranking(games, samples=samples, seed=seed, progress=progress)
    computed_at = timezone.now()
    entries = []
    for scope in ["", *sorted(set(categories.values()))]:

        def in_scope(tool_id: int, scope: str = scope) -> bool:
            return tool_id in categories and (not scope or categories[tool_id] == scope)

        scoped_h2h = rank_by_intervals(
            {
                key: (row.score, row.low, row.high, row.votes, row.wins)
                for key, row in head_to_head.items()
                if in_scope(key)
            }
        )
        scoped_ship = ship_share_ranking(
            {key: counts for key, counts in ship_counts.items() if in_scope(key)}
        )
        for method, ranked in (
            (RankingEntry.Method.HEAD_TO_HEAD, scoped_h2h),
            (RankingEntry.Method.SHIP_SHARE, scoped_ship),
        ):
            entries += _ranking_entries(
                method=method, scope=scope, ranked=ranked.values(), computed_at=computed_at
            )
    return _retrying(lambda: _rankings_replace(entries=entries))


def _ranking_entries(
    *, method: str, scope: str, ranked: Iterable[Ranked], computed_at: datetime
) -> list[RankingEntry]:
    return [
        RankingEntry(
            method=method,
            scope=scope,
            tool_id=row.key,
            rank=row.rank,
            position=position,
            score=row.score,
            low=row.low,
            high=row.high,
            votes=row.votes,
            wins=row.wins,
            computed_at=computed_at,
        )
        for position, row in enumerate(ranked, start=1)
    ]


@transaction.atomic
def _rankings_replace(*, entries: list[RankingEntry]) -> int:
    RankingEntry.objects.all().delete()
    for entry in entries:
        entry.full_clean(exclude=["tool"], validate_unique=False, validate_constraints=False)
    RankingEntry.objects.bulk_create(entries)
    return len(entries)
