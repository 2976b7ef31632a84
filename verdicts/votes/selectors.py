"""Reads of community votes and stored rankings."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.content_memo import content_memo
from verdicts.common.content_versions import CATALOG, VOTES
from verdicts.common.share import Share
from verdicts.votes.models import (
    PairVote,
    PairVoteTally,
    Pick,
    RankingEntry,
    ToolVote,
    ToolVoteTally,
    VoteStatus,
)


def community_share(*, count: int, total: int) -> Share:
    """A community share carrying the provisional threshold from settings."""
    return Share(count, total, provisional_below=settings.VOTES_PROVISIONAL_BELOW)


def community_shares(*, tool_ids: Iterable[int]) -> dict[int, Share]:
    """Each tool's community ship share, from its tally of counted votes, in one query."""
    tool_ids = list(tool_ids)
    rows = ToolVoteTally.objects.filter(tool_id__in=tool_ids).values_list("tool_id", "ship", "skip")
    counts = {tool_id: (ship, ship + skip) for tool_id, ship, skip in rows}
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
    """The two tools' community ship shares, from their tallies in one query."""
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
    """Each comparison's counted head-to-head picks, from its tally, in one query."""
    comparison_ids = list(comparison_ids)
    rows = PairVoteTally.objects.filter(comparison_id__in=comparison_ids).values_list(
        "comparison_id", "a", "b", "tie"
    )
    counts = {pk: PickCounts(a, b, tie) for pk, a, b, tie in rows}
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


RECOMPUTE_PENDING_KEY = "votes:rankings:pending"
# A ranking lists its leaders; the (scope, method, position) index reads just these rows.
RANKINGS_SHOWN = 50


@dataclass(frozen=True)
class Rankings:
    """The stored rankings for one scope (all tools, or one category), and how fresh they are.

    picks and ship_votes count the votes in the scope now; uncounted those cast or changed
    since the rankings were computed; next_at is when they are next recomputed.
    """

    head_to_head: list[RankingEntry]
    ship_share: list[RankingEntry]
    picks: int
    ship_votes: int
    uncounted: int
    next_at: datetime.datetime

    @property
    def computed_at(self) -> datetime.datetime | None:
        entries = self.head_to_head + self.ship_share
        return max((entry.computed_at for entry in entries), default=None)


def rankings_next_at(*, now: datetime.datetime) -> datetime.datetime:
    """The next recompute: a vote's pending one, or the periodic job's next minute."""
    periodic = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    while periodic.minute % settings.VOTES_RANKING_MINUTES:
        periodic += datetime.timedelta(minutes=1)
    pending = HUEY.get(RECOMPUTE_PENDING_KEY, peek=True)
    if pending and now <= datetime.datetime.fromisoformat(pending) < periodic:
        return datetime.datetime.fromisoformat(pending)
    return periodic


def _vote_tally(*, scope: str, since: datetime.datetime | None) -> dict[str, tuple[int, int]]:
    """(counted votes, those changed after since) of each kind in the scope.

    The totals sum the tallies of every published tool in the scope, so they are kept until a
    vote or the catalog next changes; the changed ones, in one query, read only the votes
    since the last recompute from the votes' updated_at index.
    """
    totals = content_memo(
        key=f"votes:tally:{scope}",
        scopes=[VOTES, CATALOG],
        compute=lambda: _vote_totals(scope=scope),
    )
    # Without stored rankings nothing is uncounted; asked anyway, so the query count is fixed.
    newer = _votes_newer(scope=scope, since=since or timezone.now())
    return {kind: (totals.get(kind) or 0, newer.get(kind) or 0) for kind in ("ship", "picks")}


def _vote_totals(*, scope: str) -> dict[str, int]:
    """Counted votes of each kind in the scope, from the tallies, in one query."""
    tools = Tool.objects.published()
    if scope:
        tools = tools.filter(category__slug=scope)
    comparisons = Comparison.objects.published().filter(Q(tool_a__in=tools) | Q(tool_b__in=tools))
    ship = _kind_sum("ship", ToolVoteTally.objects.filter(tool__in=tools), F("ship") + F("skip"))
    picks = _kind_sum(
        "picks",
        PairVoteTally.objects.filter(comparison__in=comparisons),
        F("a") + F("b") + F("tie"),
    )
    return dict(ship.union(picks, all=True))


def _votes_newer(*, scope: str, since: datetime.datetime) -> dict[str, int]:
    """Counted votes of each kind in the scope changed after since, in one query: each recent
    vote's tools checked row by row (EXISTS), as with their status in a join SQLite's
    planner, which has no statistics, walked every published tool instead."""
    published = Tool.objects.published()
    scoped = published.filter(category__slug=scope) if scope else published

    def tool(tools: QuerySet, field: str) -> Exists:
        return Exists(tools.filter(pk=OuterRef(field)))

    recent = Q(updated_at__gt=since, status=VoteStatus.COUNTED)
    ship = _kind_count("ship", ToolVote.objects.filter(recent, tool(scoped, "tool_id")))
    sides = ("comparison__tool_a_id", "comparison__tool_b_id")
    pair_votes = PairVote.objects.filter(
        recent,
        *(tool(published, side) for side in sides),
        comparison__published_at__isnull=False,
    )
    if scope:
        pair_votes = pair_votes.filter(tool(scoped, sides[0]) | tool(scoped, sides[1]))
    picks = _kind_count("picks", pair_votes)
    return dict(ship.union(picks, all=True))


def _kind_sum(kind: str, tallies: QuerySet, votes) -> QuerySet:
    return (
        tallies.annotate(kind=Value(kind))
        .values("kind")
        .annotate(n=Sum(votes))
        .values_list("kind", "n")
        .order_by()
    )


def _kind_count(kind: str, votes: QuerySet) -> QuerySet:
    return (
        votes.annotate(kind=Value(kind))
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
        .order_by()
    )


def rankings_get(*, scope: str = "") -> Rankings:
    """Both stored rankings of a scope, best first (the top RANKINGS_SHOWN of each), and their
    freshness: four queries (the entries, their tools, the kept totals, the votes since)."""
    stored = (
        RankingEntry.objects.filter(
            scope=scope, method__in=RankingEntry.Method.values, position__lte=RANKINGS_SHOWN
        )
        .order_by("method", "position")
        # The tools by key in a query of their own: joined, PostgreSQL hashed the whole tool
        # table whenever its statistics (after a refit replaced every entry) expected more
        # entries than the 100 it finds.
        .prefetch_related(Prefetch("tool", queryset=Tool.objects.select_related("category")))
    )
    entries = [entry for entry in stored if entry.tool.status == Tool.Status.PUBLISHED]
    computed_at = max((entry.computed_at for entry in entries), default=None)
    tally = _vote_tally(scope=scope, since=computed_at)
    picks, ship_votes = tally.get("picks", (0, 0)), tally.get("ship", (0, 0))
    return Rankings(
        head_to_head=[e for e in entries if e.method == RankingEntry.Method.HEAD_TO_HEAD],
        ship_share=[e for e in entries if e.method == RankingEntry.Method.SHIP_SHARE],
        picks=picks[0],
        ship_votes=ship_votes[0],
        uncounted=picks[1] + ship_votes[1] if computed_at else 0,
        next_at=rankings_next_at(now=timezone.now()),
    )
