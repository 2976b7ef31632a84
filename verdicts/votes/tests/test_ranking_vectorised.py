"""The numpy refit against the plain Python fit and bootstrap it replaced, on small leagues."""

import math
import random

import numpy as np
import pytest

from verdicts.votes.ranking import (
    PRIOR_GAMES,
    Game,
    bradley_terry,
    bradley_terry_fits,
    head_to_head_ranking,
    league_of,
    resample,
)


def plain_fit(games, *, iterations=500, tolerance=1e-9):
    """Hunter's MM algorithm one player at a time, as the refit ran before numpy."""
    wins, played = {}, {}
    for game in games:
        if not game.total:
            continue
        wins[game.a] = wins.get(game.a, 0.0) + game.wins_a + game.ties / 2
        wins[game.b] = wins.get(game.b, 0.0) + game.wins_b + game.ties / 2
        for one, other in ((game.a, game.b), (game.b, game.a)):
            played.setdefault(one, {})
            played[one][other] = played[one].get(other, 0.0) + game.total
    strength = dict.fromkeys(played, 1.0)
    for _ in range(iterations):
        updated = {}
        for player, opponents in played.items():
            denominator = PRIOR_GAMES / (strength[player] + 1.0)
            for opponent, count in opponents.items():
                denominator += count / (strength[player] + strength[opponent])
            updated[player] = (wins[player] + PRIOR_GAMES / 2) / denominator
        change = max(abs(math.log(updated[p] / strength[p])) for p in updated)
        strength = updated
        if change < tolerance:
            break
    logs = {player: math.log(value) for player, value in strength.items()}
    mean = sum(logs.values()) / len(logs)
    return {player: value - mean for player, value in logs.items()}


def plain_intervals(games, *, samples, seed):
    """The percentile bootstrap with Python's binomial draws and the plain fit."""
    rng = random.Random(seed)
    draws = {}
    for _ in range(samples):
        drawn = []
        for game in games:
            wins_a = rng.binomialvariate(game.total, game.wins_a / game.total)
            rest = game.total - wins_a
            others = game.wins_b + game.ties
            wins_b = rng.binomialvariate(rest, game.wins_b / others) if others else 0
            drawn.append(Game(game.a, game.b, wins_a, wins_b, rest - wins_b))
        for player, value in plain_fit(drawn, iterations=200, tolerance=1e-6).items():
            draws.setdefault(player, []).append(value)
    return {p: tuple(np.percentile(v, [2.5, 97.5])) for p, v in draws.items()}


def league(players=12, pairs=30, seed=7):
    rng = random.Random(seed)
    strength = {f"t{n}": rng.gauss(0, 1) for n in range(players)}
    names = list(strength)
    games = []
    for _ in range(pairs):
        a, b = rng.sample(names, 2)
        n = rng.randint(5, 80)
        p = 1 / (1 + math.exp(strength[b] - strength[a]))
        ties = rng.randint(0, n // 10)
        wins_a = sum(rng.random() < p for _ in range(n - ties))
        games.append(Game(a, b, wins_a, n - ties - wins_a, ties))
    games.append(Game("t0", "t1", 0, 0, 0))  # no picks: left out of the fit
    return games


def test_the_fit_matches_the_plain_fit():
    games = league()
    fit, plain = bradley_terry(games), plain_fit(games)
    assert fit.keys() == plain.keys()
    for player, value in plain.items():
        assert fit[player] == pytest.approx(value, abs=1e-7)


def test_a_batch_of_resamples_fits_each_as_the_plain_fit_would():
    games = [game for game in league() if game.total]
    table = league_of(games)
    wins_a, wins_b, ties = resample(table, np.random.default_rng(2), 5)
    assert (wins_a + wins_b + ties == table.total).all()
    fits = bradley_terry_fits(table, wins_a, wins_b, ties, iterations=200, tolerance=1e-6)
    for sample in range(5):
        drawn = [
            Game(g.a, g.b, int(wins_a[sample, n]), int(wins_b[sample, n]), int(ties[sample, n]))
            for n, g in enumerate(games)
        ]
        plain = plain_fit(drawn, iterations=200, tolerance=1e-6)
        for n, player in enumerate(table.players):
            assert fits[sample, n] == pytest.approx(plain[player], abs=1e-4)


def test_the_intervals_match_the_plain_bootstrap_within_its_noise():
    games = [game for game in league(players=6, pairs=15) if game.total]
    ranked = head_to_head_ranking(games, samples=600, seed=1)
    plain = plain_intervals(games, samples=600, seed=1)
    for player, (low, high) in plain.items():
        width = high - low
        assert ranked[player].low == pytest.approx(low, abs=0.1 * width)
        assert ranked[player].high == pytest.approx(high, abs=0.1 * width)


def test_progress_is_told_once_a_resample():
    told = []
    head_to_head_ranking(league(), samples=60, seed=0, progress=lambda: told.append(1))
    assert len(told) == 60
