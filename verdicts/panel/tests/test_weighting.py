"""Lens weights and the weighted panel share: the arithmetic, with no database."""

import math

import pytest

from verdicts.common.share import Share, wilson_interval
from verdicts.panel.weighting import lens_weights_parse, lens_weights_split, weighted_share

PERSONAS = ["builder", "skeptic", "futurist", "operator"]


@pytest.mark.parametrize("weight", [1, 2, 3])
@pytest.mark.parametrize(("ships", "total"), [(0, 1), (1, 3), (2, 3), (3, 4), (4, 4), (5, 7)])
def test_equal_weights_give_back_the_unweighted_share_and_interval_exactly(weight, ships, total):
    share = weighted_share(verdicts=[(weight, index < ships) for index in range(total)])
    unweighted = Share(ships, total)
    assert share.ratio == unweighted.ratio
    assert share.percent == unweighted.percent
    assert share.effective_reviews == total
    assert share.interval == unweighted.interval
    assert share.interval_percent == unweighted.interval_percent


def test_uneven_weights_shrink_the_effective_reviews_and_widen_the_interval():
    share = weighted_share(verdicts=[(3, True), (1, True), (1, True), (0, False)])
    # (3 + 1 + 1)^2 / (9 + 1 + 1) = 25 / 11
    assert share.effective_reviews == pytest.approx(25 / 11)
    assert share.reviews == 4
    assert share.ratio == 1.0
    assert share.interval == pytest.approx(wilson_interval(25 / 11, 25 / 11))
    three_of_three = Share(3, 3).interval
    assert share.interval[0] < three_of_three[0]


def test_a_weighted_share_moves_toward_the_heavier_lens():
    share = weighted_share(verdicts=[(3, True), (1, False)])
    assert share.ratio == 0.75
    assert share.effective_reviews == pytest.approx(16 / 10)
    low, high = share.interval
    assert low < 0.75 < high


def test_zero_weights_leave_no_data_and_the_widest_interval():
    share = weighted_share(verdicts=[(0, True), (0, False)])
    assert not share.has_data
    assert share.percent is None and share.ratio is None
    assert share.effective_reviews == 0.0
    assert share.interval == (0.0, 1.0)
    assert weighted_share(verdicts=[]).interval == (0.0, 1.0)


def test_intervals_that_overlap_are_too_close():
    ships = weighted_share(verdicts=[(1, True)] * 4)
    skips = weighted_share(verdicts=[(1, False)] * 4)
    assert not ships.overlaps(skips)
    thin = weighted_share(verdicts=[(3, True), (1, True), (1, True), (1, True)])
    assert not math.isclose(thin.effective_reviews, 4)
    assert thin.overlaps(skips)


def test_weights_parse_by_persona_and_default_to_one():
    weights = lens_weights_parse(pairs=[("builder", "3"), ("operator", " 0 ")], personas=PERSONAS)
    assert weights.notice == ""
    assert weights.weights == {"builder": 3, "skeptic": 1, "futurist": 1, "operator": 0}
    assert not weights.equal
    assert lens_weights_parse(pairs=[], personas=PERSONAS).equal


@pytest.mark.parametrize(
    ("pairs", "notice"),
    [
        ([("builder", "4")], 'A lens weight is one of 0, 1, 2, 3; got "4".'),
        ([("builder", "-1")], 'A lens weight is one of 0, 1, 2, 3; got "-1".'),
        ([("builder", "1.5")], 'A lens weight is one of 0, 1, 2, 3; got "1.5".'),
        ([("builder", "")], 'A lens weight is one of 0, 1, 2, 3; got "".'),
        ([("skeptic", "2"), ("nobody", "2")], 'No lens "nobody" on this comparison.'),
        ([("builder", "2"), ("builder", "3")], 'The lens "builder" is weighted twice.'),
        ([(slug, "0") for slug in PERSONAS], "At least one lens must weigh more than 0."),
    ],
)
def test_unusable_weights_give_the_default_with_a_notice(pairs, notice):
    weights = lens_weights_parse(pairs=pairs, personas=PERSONAS)
    assert weights.notice == notice
    assert weights.weights == dict.fromkeys(PERSONAS, 1)


def test_weights_from_the_api_text():
    assert lens_weights_split(text="builder:2, skeptic:0") == [("builder", "2"), ("skeptic", "0")]
    assert lens_weights_split(text="  ") == []
    assert lens_weights_split(text="builder2") == [("builder2", "")]
