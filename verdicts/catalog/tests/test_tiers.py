"""A tool's entry tier: derived from its plans' kinds unless an editor overrides it."""

import pytest

from verdicts.catalog.models import EntryTier, PlanKind, entry_tier_from_plan_kinds
from verdicts.catalog.tests.factories import PricingPlanFactory, ToolFactory


@pytest.mark.parametrize(
    ("kinds", "tier"),
    [
        ([], ""),
        ([PlanKind.SELF_HOSTED], EntryTier.FREE),
        ([PlanKind.FREE, PlanKind.SELF_HOSTED], EntryTier.FREE),
        ([PlanKind.FREE, PlanKind.TIERED], EntryTier.FREEMIUM),
        ([PlanKind.USAGE], EntryTier.PAID),
        ([PlanKind.PER_SEAT, PlanKind.CONTACT], EntryTier.PAID),
    ],
)
def test_entry_tier_derives_from_plan_kinds(kinds, tier):
    assert entry_tier_from_plan_kinds(kinds) == tier


@pytest.mark.django_db
def test_editor_override_beats_the_derived_entry_tier():
    tool = ToolFactory(entry_tier_override=EntryTier.PAID)
    PricingPlanFactory(tool=tool, kind=PlanKind.FREE)
    assert tool.entry_tier_label == "Paid"
    assert ToolFactory().entry_tier_label == "—"
