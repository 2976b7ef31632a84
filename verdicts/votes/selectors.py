"""Reads of community votes and stored rankings."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from verdicts.catalog.models import Tool
from verdicts.compare.models import Comparison
from verdicts.core.stats import Share
from verdicts.votes.models import PairVote, Pick, RankingEntry, ToolChoice, ToolVote


def community_share(*, count: int, total: int) -> Share:
    """A community share carrying the provisional threshold from settings."""
    return Share(count, total, provisional_below=settings.VOTES_PROVISIONAL_BELOW)


def community_shares(*, tool_ids: Iterable[int]) -> dict[int, Share]:
    """Each tool's community ship share, counted afresh from the stored votes in one query."""
    tool_ids = list(tool_ids)
    rows = (
        ToolVote.objects.filter(tool_id__in=tool_ids)
        .values("tool_id")
        .annotate(ships=Count("id", filter=Q(choice=ToolChoice.SHIP)), total=Count("id"))
        .order_by()
    )
    counts = {row["tool_id"]: (row["ships"], row["total"]) for row in rows}
    return {
        tool_id: community_share(
            count=counts.get(tool_id, (0, 0))[0], total=counts.get(tool_id, (0, 0))[1]
        )
        for tool_id in tool_ids
    }


@dataclass(frozen=True)
class ShipShares:
    """Both sides' community ship shares on a comparison, and what they can honestly say."""

    comparison_id: int
    tool_a: Tool
    share_a: Share
    tool_b: Tool
    share_b: Share

    @property
    def has_data(self) -> bool:
        return self.share_a.has_data and self.share_b.has_data

    @property
    def too_close(self) -> bool:
        return self.share_a.overlaps(self.share_b)

    @property
    def ranked(self) -> tuple[tuple[Tool, Share], tuple[Tool, Share]]:
        """(leader, share), (other, share) by ship share."""
        a, b = (self.tool_a, self.share_a), (self.tool_b, self.share_b)
        return (a, b) if (self.share_a.ratio or 0) >= (self.share_b.ratio or 0) else (b, a)


def ship_shares(*, comparison: Comparison) -> ShipShares:
    """The two tools' community ship shares, counted afresh in one query."""
    tool_a, tool_b = comparison.tool_a, comparison.tool_b
    shares = community_shares(tool_ids=[tool_a.pk, tool_b.pk])
    return ShipShares(comparison.pk, tool_a, shares[tool_a.pk], tool_b, shares[tool_b.pk])


@dataclass(frozen=True)
class PickCounts:
    """Head-to-head picks on one comparison."""

    a: int = 0
    b: int = 0
    tie: int = 0

    @property
    def total(self) -> int:
        return self.a + self.b + self.tie

    @property
    def decisive(self) -> Share:
        """Picks of the first tool among the picks that named a tool."""
        return community_share(count=self.a, total=self.a + self.b)

    @property
    def decisive_b(self) -> Share:
        return community_share(count=self.b, total=self.a + self.b)

    @property
    def leader(self) -> str:
        """ "a" or "b" when the 95% interval of the decisive share excludes one half, else ""."""
        if not self.decisive.has_data:
            return ""
        low, high = self.decisive.interval
        if low > 0.5:
            return Pick.A
        if high < 0.5:
            return Pick.B
        return ""

    def as_dict(self) -> dict[str, int]:
        return {"a": self.a, "b": self.b, "tie": self.tie}


def pick_counts(*, comparison_ids: Iterable[int]) -> dict[int, PickCounts]:
    """Each comparison's head-to-head picks, counted afresh in one query."""
    comparison_ids = list(comparison_ids)
    rows = (
        PairVote.objects.filter(comparison_id__in=comparison_ids)
        .values("comparison_id")
        .annotate(
            a=Count("id", filter=Q(pick=Pick.A)),
            b=Count("id", filter=Q(pick=Pick.B)),
            tie=Count("id", filter=Q(pick=Pick.TIE)),
        )
        .order_by()
    )
    counts = {row["comparison_id"]: PickCounts(row["a"], row["b"], row["tie"]) for row in rows}
    return {pk: counts.get(pk, PickCounts()) for pk in comparison_ids}


def _vote_current(*, votes: QuerySet, field: str, voter_key: str) -> str:
    """The voter's value of field among votes, or "" when none (no query without a voter)."""
    if not voter_key:
        return ""
    return votes.filter(voter_key=voter_key).values_list(field, flat=True).first() or ""


def tool_vote_current(*, voter_key: str, tool_id: int) -> str:
    """The voter's current ship/skip on a tool, or "" when none."""
    return _vote_current(
        votes=ToolVote.objects.filter(tool_id=tool_id), field="choice", voter_key=voter_key
    )


def pair_vote_current(*, voter_key: str, comparison_id: int) -> str:
    """The voter's current head-to-head pick on a comparison, or "" when none."""
    return _vote_current(
        votes=PairVote.objects.filter(comparison_id=comparison_id),
        field="pick",
        voter_key=voter_key,
    )


@dataclass(frozen=True)
class Rankings:
    """The stored rankings for one scope (all tools, or one category)."""

    head_to_head: list[RankingEntry]
    ship_share: list[RankingEntry]

    @property
    def computed_at(self):
        entries = self.head_to_head + self.ship_share
        return max((entry.computed_at for entry in entries), default=None)


def rankings_get(*, scope: str = "") -> Rankings:
    """Both stored rankings of a scope, best first, in one query."""
    entries = list(
        RankingEntry.objects.filter(scope=scope, tool__status=Tool.Status.PUBLISHED)
        .select_related("tool__category", "tool__vendor")
        .order_by("method", "position")
    )
    return Rankings(
        head_to_head=[e for e in entries if e.method == RankingEntry.Method.HEAD_TO_HEAD],
        ship_share=[e for e in entries if e.method == RankingEntry.Method.SHIP_SHARE],
    )
