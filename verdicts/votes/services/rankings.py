"""Stored rankings: refit from the vote tallies and replace the stored entries in one go."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.content_versions import VOTES, content_changed
from verdicts.votes.models import PairVoteTally, RankingEntry, ToolVoteTally
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
    """Refit both rankings from the tallies of published tools and comparisons, store them and
    stamp the votes scope (pages that show rankings); returns the rows stored."""
    samples = settings.VOTES_BOOTSTRAP_SAMPLES if samples is None else samples
    picks = PairVoteTally.objects.filter(comparison__in=Comparison.objects.published()).values_list(
        "comparison__tool_a_id", "comparison__tool_b_id", "a", "b", "tie"
    )
    games = [Game(*row) for row in picks if sum(row[2:])]
    ships = ToolVoteTally.objects.filter(tool__status=Tool.Status.PUBLISHED).values_list(
        "tool_id", "ship", "skip"
    )
    ship_counts = {tool_id: (ship, ship + skip) for tool_id, ship, skip in ships if ship + skip}
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
    stored = race_retried(lambda: _rankings_replace(entries=entries))
    content_changed(VOTES)
    return stored


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
