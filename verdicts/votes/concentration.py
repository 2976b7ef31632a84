"""Reads for editors: where votes concentrate (one address hash, many ballots or voters on
one target) and how fast addresses bring new anonymous voters. A fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from verdicts.votes.models import AnonymousVoter, PairVote, ToolVote, VoteStatus


@dataclass(frozen=True)
class AddressTarget:
    """The ballots one address hash cast on one tool ("tool") or comparison ("pair")."""

    kind: str
    target_id: int
    label: str
    address_hash: str
    voters: int
    ballots: int
    counted: int
    held: int
    voided: int
    target_counted: int

    @property
    def share(self) -> int:
        """This address's percentage of the target's counted votes (all time)."""
        return round(100 * self.counted / self.target_counted) if self.target_counted else 0


@dataclass(frozen=True)
class AddressVoters:
    """New anonymous voters first seen from one address hash, and how many were held."""

    address_hash: str
    voters: int
    held: int


@dataclass(frozen=True)
class Concentration:
    since: datetime
    tools: list[AddressTarget]
    pairs: list[AddressTarget]
    new_voters: list[AddressVoters]
    new_last_hour: int
    new_last_day: int
    held_tool_votes: int
    held_pair_votes: int


def _by_status(status: str) -> Count:
    return Count("id", filter=Q(status=status))


def _address_targets(
    *, votes: QuerySet, field: str, labels: list[str], since: datetime, limit: int, kind: str
) -> list[AddressTarget]:
    totals = (
        votes.model.objects.filter(**{field: OuterRef(field)}, status=VoteStatus.COUNTED)
        .order_by()
        .values(field)
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        votes.filter(created_at__gte=since)
        .values(field, "address_hash", *labels)
        .annotate(
            ballots=Count("id"),
            voters=Count("voter_key", distinct=True),
            counted=_by_status(VoteStatus.COUNTED),
            held=_by_status(VoteStatus.HELD),
            voided=_by_status(VoteStatus.VOIDED),
            target_counted=Coalesce(Subquery(totals), 0),
        )
        .order_by("-ballots", field, "address_hash")[:limit]
    )
    return [
        AddressTarget(
            kind=kind,
            target_id=row[field],
            label=" vs ".join(row[label] for label in labels),
            address_hash=row["address_hash"],
            voters=row["voters"],
            ballots=row["ballots"],
            counted=row["counted"],
            held=row["held"],
            voided=row["voided"],
            target_counted=row["target_counted"],
        )
        for row in rows
    ]


def vote_concentration_get(*, days: int = 7, limit: int = 20) -> Concentration:
    """The top address hashes per tool and per comparison by ballots cast in the past `days`,
    the addresses that brought the most new anonymous voters, and the new-voter rate; six
    queries whatever the number of votes."""
    now = timezone.now()
    since = now - timedelta(days=days)
    tools = _address_targets(
        votes=ToolVote.objects.all(),
        field="tool_id",
        labels=["tool__name"],
        since=since,
        limit=limit,
        kind="tool",
    )
    pairs = _address_targets(
        votes=PairVote.objects.all(),
        field="comparison_id",
        labels=["comparison__tool_a__name", "comparison__tool_b__name"],
        since=since,
        limit=limit,
        kind="pair",
    )
    voters = (
        AnonymousVoter.objects.filter(created_at__gte=since)
        .values("address_hash")
        .annotate(voters=Count("id"), held=Count("id", filter=Q(held=True)))
        .order_by("-voters", "address_hash")[:limit]
    )
    rates = AnonymousVoter.objects.aggregate(
        hour=Count("id", filter=Q(created_at__gte=now - timedelta(hours=1))),
        day=Count("id", filter=Q(created_at__gte=now - timedelta(days=1))),
    )
    return Concentration(
        since=since,
        tools=tools,
        pairs=pairs,
        new_voters=[AddressVoters(**row) for row in voters],
        new_last_hour=rates["hour"],
        new_last_day=rates["day"],
        held_tool_votes=ToolVote.objects.filter(status=VoteStatus.HELD).count(),
        held_pair_votes=PairVote.objects.filter(status=VoteStatus.HELD).count(),
    )
