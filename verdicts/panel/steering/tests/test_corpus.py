"""The detector against the corpus: every attack flagged, at most 2 benign texts flagged."""

import pytest

from testkit.steering import corpus
from verdicts.panel.dossier import dossier_segments
from verdicts.panel.steering.detector import steering_rules, steering_scan

ATTACKS = corpus("attack")
BENIGN = corpus("benign")


def test_the_corpus_is_large_enough_and_covers_every_rule():
    assert len(ATTACKS) >= 50 and len(BENIGN) >= 50
    assert len({case.id for case in ATTACKS + BENIGN}) == len(ATTACKS) + len(BENIGN)
    raised = {finding.rule for case in ATTACKS for finding in case.findings()}
    assert raised == {rule.id for rule in steering_rules().rules}
    assert sum(case.split for case in ATTACKS) >= 4


@pytest.mark.parametrize("case", ATTACKS, ids=[case.id for case in ATTACKS])
def test_every_attack_is_flagged(case):
    assert case.findings(), f"{case.id} was not flagged"


@pytest.mark.parametrize("case", [c for c in ATTACKS if c.split], ids=lambda case: case.id)
def test_a_split_attack_is_flagged_only_as_a_whole(case):
    for part in case.parts():
        assert steering_scan(dossier_segments(part)) == [], part
    sources = {finding.source for finding in case.findings()}
    assert len(sources) >= 2, "each field holding a part is flagged"


def test_at_most_two_benign_texts_are_flagged():
    flagged = {case.id: case.findings() for case in BENIGN}
    flagged = {case: findings for case, findings in flagged.items() if findings}
    assert len(flagged) <= 2, flagged
