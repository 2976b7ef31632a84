"""Ranking maths: a Bradley-Terry fit of head-to-head picks with bootstrap intervals, and
honest shared ranks. Pure functions over plain numbers; no database. The bootstrap's refits run
in numpy, a batch of resamples at once."""

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import numpy as np

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


@dataclass(frozen=True)
class League:
    """Games as arrays: each pair's players (by position in `players`), picks and ties."""

    players: list[Hashable]
    a: np.ndarray
    b: np.ndarray
    wins_a: np.ndarray
    wins_b: np.ndarray
    ties: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.wins_a + self.wins_b + self.ties


def league_of(games: Iterable[Game]) -> League:
    """The games with picks, their players numbered in order of first appearance."""
    played = [game for game in games if game.total]
    number: dict[Hashable, int] = {}
    for game in played:
        number.setdefault(game.a, len(number))
        number.setdefault(game.b, len(number))

    def column(values) -> np.ndarray:
        return np.array(list(values), dtype=np.int64)

    return League(
        players=list(number),
        a=column(number[game.a] for game in played),
        b=column(number[game.b] for game in played),
        wins_a=column(game.wins_a for game in played),
        wins_b=column(game.wins_b for game in played),
        ties=column(game.ties for game in played),
    )


def _per_player(league: League, at_a: np.ndarray, at_b: np.ndarray) -> np.ndarray:
    """Per-game values summed into each sample's players: (samples, games) -> (samples, players)."""
    samples, players = at_a.shape[0], len(league.players)
    rows = np.arange(samples)[:, None] * players
    flat = np.concatenate([(rows + league.a).ravel(), (rows + league.b).ravel()])
    weights = np.concatenate([at_a.ravel(), at_b.ravel()])
    return np.bincount(flat, weights=weights, minlength=samples * players).reshape(samples, players)


def bradley_terry_fits(
    league: League,
    wins_a: np.ndarray,
    wins_b: np.ndarray,
    ties: np.ndarray,
    *,
    iterations: int,
    tolerance: float,
) -> np.ndarray:
    """Log-strengths by Hunter's MM algorithm for each sample of picks at once, centred so that
    each sample's mean is 0: picks (samples, games) -> (samples, players). Every sample has
    the league's number of picks on each pair; only who won them differs."""
    wins = _per_player(league, wins_a + ties / 2, wins_b + ties / 2)
    total = league.total.astype(np.float64)
    strength = np.ones_like(wins)
    for _ in range(iterations):
        per_game = total / (strength[:, league.a] + strength[:, league.b])
        denominator = PRIOR_GAMES / (strength + 1.0) + _per_player(league, per_game, per_game)
        updated = (wins + PRIOR_GAMES / 2) / denominator
        change = np.abs(np.log(updated / strength)).max(initial=0.0)
        strength = updated
        if change < tolerance:
            break
    logs = np.log(strength)
    return logs - logs.mean(axis=1, keepdims=True) if logs.size else logs


def bradley_terry(
    games: Iterable[Game], *, iterations: int = 500, tolerance: float = 1e-9
) -> dict[Hashable, float]:
    """Log-strengths by Hunter's MM algorithm, centred so that their mean is 0."""
    league = league_of(games)
    fit = bradley_terry_fits(
        league,
        league.wins_a[None, :],
        league.wins_b[None, :],
        league.ties[None, :],
        iterations=iterations,
        tolerance=tolerance,
    )
    return {player: float(fit[0, n]) for n, player in enumerate(league.players)}


def resample(
    league: League, rng: np.random.Generator, samples: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`samples` draws of the same pairs with the same number of picks each, from the observed
    shares: (wins_a, wins_b, ties), each (samples, games)."""
    total = league.total
    wins_a = rng.binomial(total, league.wins_a / total, size=(samples, len(total)))
    rest = total - wins_a
    others = league.wins_b + league.ties
    share_b = np.divide(league.wins_b, others, out=np.zeros(len(total)), where=others > 0)
    wins_b = rng.binomial(rest, share_b)
    return wins_a, wins_b, rest - wins_b


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


# Resamples refitted at once: enough to keep numpy busy, few enough to report progress.
RESAMPLES_AT_ONCE = 25


def head_to_head_ranking(
    games: list[Game],
    *,
    samples: int = 200,
    seed: int = 0,
    progress: Callable[[], None] | None = None,
) -> dict[Hashable, Ranked]:
    """Bradley-Terry log-strengths with 95% percentile-bootstrap intervals and shared ranks."""
    league = league_of(games)
    fit = bradley_terry(games)
    rng = np.random.default_rng(seed)
    draws = []
    for start in range(0, samples, RESAMPLES_AT_ONCE):
        count = min(RESAMPLES_AT_ONCE, samples - start)
        drawn = resample(league, rng, count)
        draws.append(bradley_terry_fits(league, *drawn, iterations=200, tolerance=1e-6))
        if progress:
            for _ in range(count):
                progress()
    if draws and league.players:
        low, high = np.percentile(np.concatenate(draws), [2.5, 97.5], axis=0)
        intervals = {
            player: (float(low[n]), float(high[n])) for n, player in enumerate(league.players)
        }
    else:
        intervals = {player: (fit[player], fit[player]) for player in fit}
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
    ranked.sort(key=lambda entry: (entry.rank, *order(entry), *_tie_break(entry.key)))
    return {entry.key: entry for entry in ranked}


def _tie_break(key: Hashable) -> tuple[int, int, str]:
    # Tool keys by number: as text, tool 10 was listed before tool 9.
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


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
