import math
import random

import pytest

from verdicts.core.stats import Share, wilson_interval
from verdicts.votes.ranking import (
    Game,
    bradley_terry,
    head_to_head_ranking,
    shared_ranks,
    ship_share_ranking,
)


def test_wilson_interval_matches_published_values():
    # 81 of 263: the worked example in Wilson (1927) / Newcombe (1998), 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=5e-4)
    assert high == pytest.approx(0.3662, abs=5e-4)


def test_wilson_interval_stays_inside_zero_and_one_at_the_edges():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_share_is_provisional_only_with_some_data_under_the_threshold():
    assert Share(2, 5, provisional_below=30).provisional
    assert not Share(0, 0, provisional_below=30).provisional
    assert not Share(20, 30, provisional_below=30).provisional
    assert not Share(2, 5).provisional


def test_two_of_two_ranks_below_a_hundred_of_a_hundred_and_one():
    ranked = ship_share_ranking({"few": (2, 2), "many": (100, 101)})
    assert list(ranked) == ["many", "few"]
    assert ranked["many"].rank == 1
    assert ranked["few"].rank == 2
    assert ranked["few"].score == 1.0


def test_equal_lower_bounds_share_a_ship_share_rank():
    ranked = ship_share_ranking({"x": (5, 10), "y": (5, 10), "z": (1, 10)})
    assert [ranked["x"].rank, ranked["y"].rank, ranked["z"].rank] == [1, 1, 3]


def test_bradley_terry_recovers_a_known_pair_exactly():
    # P(a beats b) = 3/4 means strength ratio 3; with many games the prior barely matters.
    fit = bradley_terry([Game("a", "b", 30000, 10000)])
    assert fit["a"] - fit["b"] == pytest.approx(math.log(3), abs=0.01)
    assert fit["a"] + fit["b"] == pytest.approx(0.0, abs=1e-9)


def test_bradley_terry_stays_finite_for_an_unbeaten_tool():
    fit = bradley_terry([Game("a", "b", 5, 0)])
    assert math.isfinite(fit["a"]) and fit["a"] > fit["b"]


def test_bradley_terry_recovers_a_synthetic_league():
    rng = random.Random(7)
    truth = {f"t{i}": value for i, value in enumerate([-1.5, -0.8, -0.2, 0.3, 0.9, 1.3])}
    names = list(truth)
    games = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            p = 1 / (1 + math.exp(truth[b] - truth[a]))
            wins = sum(rng.random() < p for _ in range(400))
            games.append(Game(a, b, wins, 400 - wins))
    fit = bradley_terry(games)
    mean = sum(truth.values()) / len(truth)
    for name in names:
        assert fit[name] == pytest.approx(truth[name] - mean, abs=0.15)
    assert sorted(names, key=fit.get) == names


def test_ties_count_half_to_each_side():
    fit = bradley_terry([Game("a", "b", 0, 0, 50)])
    assert fit["a"] == pytest.approx(fit["b"])


def test_overlapping_intervals_share_a_rank():
    ranks = shared_ranks({"top": (2.0, 3.0), "close": (1.5, 2.5), "low": (-1.0, 0.5)})
    assert ranks == {"top": 1, "close": 1, "low": 3}


def test_head_to_head_ranking_separates_clear_winners_and_groups_the_close():
    games = [
        Game("strong", "weak", 190, 10),
        Game("strong", "twin", 180, 20),
        Game("twin", "weak", 100, 100),
    ]
    ranked = head_to_head_ranking(games, samples=100, seed=1)
    assert next(iter(ranked)) == "strong"
    assert ranked["strong"].rank == 1
    assert ranked["twin"].rank == ranked["weak"].rank == 2
    for row in ranked.values():
        assert row.low <= row.score <= row.high
    assert ranked["strong"].votes == 400


def test_bootstrap_is_reproducible_with_a_seed():
    games = [Game("a", "b", 7, 3), Game("b", "c", 6, 4)]
    first = head_to_head_ranking(games, samples=50, seed=3)
    again = head_to_head_ranking(games, samples=50, seed=3)
    assert first == again
