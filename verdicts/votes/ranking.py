"""Ranking maths: a Bradley-Terry fit of head-to-head picks with bootstrap intervals, and
honest shared ranks. Pure functions over plain numbers; no database."""

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from verdicts.common.share import wilson_interval

# Each tool plays this many virtual games, half won and half lost, against a reference of
# strength 1: a tool that won every game still gets a finite strength.
PRIOR_GAMES = 1.0


@dataclass(frozen=True)
class Game:
    """All picks on one pair: ties count half a win to each side."""

    a: Hashable
    b: Hashable
    wins_a: int
    wins_b: int
    ties: int = 0

    @property
    def total(self) -> int:
        return self.wins_a + self.wins_b + self.ties


@dataclass(frozen=True)
class Ranked:
    """One tool's place: rank (shared when intervals overlap), score and 95% interval."""

    key: Hashable
    rank: int
    score: float
    low: float
    high: float
    votes: int
    wins: float


def bradley_terry(
    games: Iterable[Game], *, iterations: int = 500, tolerance: float = 1e-9
) -> dict[Hashable, float]:
    """Log-strengths by Hunter's MM algorithm, centred so that their mean is 0."""
    wins: dict[Hashable, float] = {}
    played: dict[Hashable, dict[Hashable, float]] = {}
    for game in games:
        if game.total == 0:
            continue
        wins[game.a] = wins.get(game.a, 0.0) + game.wins_a + game.ties / 2
        wins[game.b] = wins.get(game.b, 0.0) + game.wins_b + game.ties / 2
        played.setdefault(game.a, {})
        played.setdefault(game.b, {})
        played[game.a][game.b] = played[game.a].get(game.b, 0.0) + game.total
        played[game.b][game.a] = played[game.b].get(game.a, 0.0) + game.total
    strength = dict.fromkeys(played, 1.0)
    for _ in range(iterations):
        updated = {}
        for player, opponents in played.items():
            denominator = PRIOR_GAMES / (strength[player] + 1.0)
            for opponent, count in opponents.items():
                denominator += count / (strength[player] + strength[opponent])
            updated[player] = (wins[player] + PRIOR_GAMES / 2) / denominator
        change = max((abs(math.log(updated[p] / strength[p])) for p in updated), default=0.0)
        strength = updated
        if change < tolerance:
            break
    logs = {player: math.log(value) for player, value in strength.items()}
    mean = sum(logs.values()) / len(logs) if logs else 0.0
    return {player: value - mean for player, value in logs.items()}


def resample(games: list[Game], rng: random.Random) -> list[Game]:
    """The same pairs with the same number of picks each, drawn from the observed shares."""
    drawn = []
    for game in games:
        n = game.total
        if n == 0:
            drawn.append(game)
            continue
        wins_a = rng.binomialvariate(n, game.wins_a / n)
        rest = n - wins_a
        others = game.wins_b + game.ties
        wins_b = rng.binomialvariate(rest, game.wins_b / others) if others else 0
        drawn.append(Game(game.a, game.b, wins_a, wins_b, rest - wins_b))
    return drawn


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear-interpolated percentile of an already sorted list."""
    position = fraction * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def shared_ranks(intervals: dict[Hashable, tuple[float, float]]) -> dict[Hashable, int]:
    """1 + the number of others whose interval lies wholly above this one's.

    Another tool counts as above only when its lower bound exceeds this one's upper bound, so
    two tools whose intervals overlap never rank apart on each other's account: they share a
    rank unless a third tool lies wholly above one of them and not the other.
    """
    # Sorted once, each count is a binary search: n log n, where comparing every pair did not
    # finish at 100,000 tools.
    lows = sorted(low for low, _ in intervals.values())
    return {key: 1 + len(lows) - bisect_right(lows, high) for key, (_, high) in intervals.items()}


def head_to_head_ranking(
    games: list[Game],
    *,
    samples: int = 200,
    seed: int = 0,
    progress: Callable[[], None] | None = None,
) -> dict[Hashable, Ranked]:
    """Bradley-Terry log-strengths with 95% percentile-bootstrap intervals and shared ranks."""
    fit = bradley_terry(games)
    rng = random.Random(seed)
    draws: dict[Hashable, list[float]] = {player: [] for player in fit}
    for _ in range(samples):
        refit = bradley_terry(resample(games, rng), iterations=200, tolerance=1e-6)
        for player in fit:
            draws[player].append(refit.get(player, 0.0))
        if progress:
            progress()
    intervals = {}
    for player, values in draws.items():
        values.sort()
        if values:
            intervals[player] = (percentile(values, 0.025), percentile(values, 0.975))
        else:
            intervals[player] = (fit[player], fit[player])
    votes: dict[Hashable, int] = dict.fromkeys(fit, 0)
    wins: dict[Hashable, float] = dict.fromkeys(fit, 0.0)
    for game in games:
        if game.total:
            votes[game.a] += game.total
            votes[game.b] += game.total
            wins[game.a] += game.wins_a + game.ties / 2
            wins[game.b] += game.wins_b + game.ties / 2
    return rank_by_intervals(
        {player: (fit[player], *intervals[player], votes[player], wins[player]) for player in fit}
    )


def rank_by_intervals(
    rows: dict[Hashable, tuple[float, float, float, int, float]],
    *,
    order: Callable[[Ranked], tuple[float, ...]] = lambda entry: (-entry.score,),
) -> dict[Hashable, Ranked]:
    """Rows of (score, low, high, votes, wins) with shared ranks, best first: by rank, then by
    order (the score unless told otherwise)."""
    ranks = shared_ranks({key: (row[1], row[2]) for key, row in rows.items()})
    ranked = [
        Ranked(key, ranks[key], score, low, high, votes, wins)
        for key, (score, low, high, votes, wins) in rows.items()
    ]
    ranked.sort(key=lambda entry: (entry.rank, *order(entry), str(entry.key)))
    return {entry.key: entry for entry in ranked}


def ship_share_ranking(counts: dict[Hashable, tuple[int, int]]) -> dict[Hashable, Ranked]:
    """Ship shares with Wilson intervals and shared ranks, listed within a rank by lower bound.

    counts maps a tool to (ships, votes); a handful of unanimous votes is listed below a
    near-unanimous hundred, and shares its rank while their intervals overlap.
    """
    rows = {}
    for key, (ships, total) in counts.items():
        low, high = wilson_interval(ships, total)
        rows[key] = (ships / total if total else 0.0, low, high, total, float(ships))
    return rank_by_intervals(rows, order=lambda entry: (-entry.low, -entry.score))
