import math
import random

import pytest

from verdicts.common.share import Share, wilson_interval
from verdicts.votes.ranking import (
    Game,
    bradley_terry,
    head_to_head_ranking,
    rank_by_intervals,
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


def test_two_of_two_is_listed_below_a_hundred_of_a_hundred_and_one_and_shares_its_rank():
    ranked = ship_share_ranking({"few": (2, 2), "many": (100, 101)})
    assert list(ranked) == ["many", "few"]
    # 2 of 2 is 34% to 100%: it overlaps 100 of 101, so the votes cannot rank them apart.
    assert ranked["many"].rank == ranked["few"].rank == 1
    assert ranked["few"].score == 1.0


def test_ship_shares_whose_intervals_overlap_share_a_rank():
    # Issue #9: 1 of 2 (9-91%) overlaps two tools at 2 of 3 (21-94%), so all three rank 1st.
    ranked = ship_share_ranking({"claude": (1, 2), "x": (2, 3), "y": (2, 3)})
    assert [row.rank for row in ranked.values()] == [1, 1, 1]
    assert list(ranked)[-1] == "claude"


def test_ship_shares_clearly_apart_rank_apart():
    ranked = ship_share_ranking({"low": (5, 100), "high": (95, 100), "mid": (50, 100)})
    assert list(ranked) == ["high", "mid", "low"]
    assert [row.rank for row in ranked.values()] == [1, 2, 3]


def test_a_ship_share_chain_ranks_only_the_clearly_separated_apart():
    # top (80 of 100) overlaps mid (14 of 20), mid overlaps bottom (50 of 100); top and bottom
    # are apart: bottom ranks below top, mid shares top's rank.
    counts = {"top": (80, 100), "mid": (14, 20), "bottom": (50, 100)}
    intervals = {key: wilson_interval(*value) for key, value in counts.items()}
    assert (
        intervals["top"][0] < intervals["mid"][1] and intervals["bottom"][1] > intervals["mid"][0]
    )
    assert intervals["top"][0] > intervals["bottom"][1]
    ranked = ship_share_ranking(counts)
    assert {key: row.rank for key, row in ranked.items()} == {"top": 1, "mid": 1, "bottom": 2}


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


def test_when_every_interval_overlaps_every_tool_ranks_first():
    ranks = shared_ranks({"a": (0.0, 1.0), "b": (0.5, 1.5), "c": (0.9, 3.0), "d": (-2.0, 0.95)})
    assert set(ranks.values()) == {1}


def test_disjoint_intervals_rank_strictly():
    ranks = shared_ranks({"a": (3.0, 4.0), "b": (1.0, 2.0), "c": (-1.0, 0.0), "d": (-3.0, -2.0)})
    assert ranks == {"a": 1, "b": 2, "c": 3, "d": 4}


def test_a_chain_of_overlaps_ranks_apart_only_what_is_wholly_above():
    # a overlaps b, b overlaps c, a lies wholly above c.
    ranks = shared_ranks({"a": (2.0, 4.0), "b": (1.0, 2.5), "c": (0.0, 1.5)})
    assert ranks == {"a": 1, "b": 1, "c": 2}


def test_head_to_head_rows_are_listed_by_rank_then_score():
    ranked = rank_by_intervals(
        {"a": (3.0, 2.0, 4.0, 9, 5.0), "b": (1.8, 1.0, 2.5, 9, 4.0), "c": (1.0, 0.0, 1.5, 9, 1.0)}
    )
    assert [(key, row.rank) for key, row in ranked.items()] == [("a", 1), ("b", 1), ("c", 2)]


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


def test_shared_ranks_count_the_intervals_wholly_above_as_comparing_every_pair_would():
    rng = random.Random(5)
    # Rounded so that lows equal to highs occur: an equal bound is not wholly above.
    intervals = {}
    for key in range(400):
        low = round(rng.uniform(-3, 3), 1)
        intervals[key] = (low, low + round(rng.uniform(0, 1), 1))
    pairwise = {
        key: 1 + sum(other_low > high for other_low, _ in intervals.values())
        for key, (_, high) in intervals.items()
    }
    assert shared_ranks(intervals) == pairwise
