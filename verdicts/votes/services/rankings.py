"""Stored rankings: refit from all votes and replace the stored entries in one go."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.votes.models import (
    PairVote,
    Pick,
    RankingEntry,
    ToolChoice,
    ToolVote,
    VoteStatus,
)
from verdicts.votes.ranking import (
    Game,
    Ranked,
    head_to_head_ranking,
    rank_by_intervals,
    ship_share_ranking,
)
from verdicts.votes.services.races import race_retried


def rankings_recompute(
    *, samples: int | None = None, seed: int = 0, progress: Callable[[], None] | None = None
) -> int:
    """Refit both rankings from all votes on published tools and store them; returns rows."""
    samples = settings.VOTES_BOOTSTRAP_SAMPLES if samples is None else samples
    picks = (
        PairVote.objects.filter(
            comparison__in=Comparison.objects.published(), status=VoteStatus.COUNTED
        )
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
        ToolVote.objects.filter(tool__status=Tool.Status.PUBLISHED, status=VoteStatus.COUNTED)
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
    return race_retried(lambda: _rankings_replace(entries=entries))


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
