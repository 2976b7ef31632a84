"""A scenario a plan does not price is "not covered" with the reason, never $0.00 (issue #9)."""

import re
from decimal import Decimal

import pytest

from verdicts.catalog.models import Comparison, PlanKind
from verdicts.catalog.pricing import PRESETS, Outcome, Scenario, plan_cost, tool_cost
from verdicts.catalog.tests.test_pricing import CLAUDE_API, plan
from verdicts.catalog.tests.test_pricing_pages import REFERENCE, panel_text

IMAGES = PRESETS["images"].scenario


def test_a_usage_plan_does_not_price_a_scenario_without_requests():
    for key in ("team", "solo"):
        cost = plan_cost(CLAUDE_API, PRESETS[key].scenario)
        assert cost.outcome == Outcome.NOT_COVERED
        assert cost.reason == "billed by use, and the scenario has no metered requests"


def test_requests_without_tokens_are_not_priced_by_a_token_plan():
    cost = plan_cost(CLAUDE_API, PRESETS["metered"].scenario)
    assert cost.outcome == Outcome.NOT_COVERED
    assert cost.reason == "bills tokens, and the scenario's requests carry none"


def test_images_without_an_image_price_are_not_covered():
    for priced in (CLAUDE_API, plan(per_request=Decimal("0.006"), unit="per audio minute")):
        cost = plan_cost(priced, IMAGES)
        assert cost.outcome == Outcome.NOT_COVERED
        assert cost.reason == "the plan does not state an image price"


def test_images_are_priced_from_the_plans_per_image_price_beside_tokens():
    vision = plan(**{**vars(CLAUDE_API), "per_image": Decimal("0.0048")})
    scenario = Scenario(requests=1_000, input_tokens=1_000, output_tokens=100, images=2)
    cost = plan_cost(vision, scenario)
    # 1,000 x ((1,000 x $3 + 100 x $15) / 1M + 2 x $0.0048) = $4.50 + $9.60
    assert cost.monthly == Decimal("14.10")
    assert "$0.0048 per image" in cost.assumptions


def test_a_tool_no_plan_covers_says_why_in_the_figure():
    hosted = tool_cost("tool", [plan(kind=PlanKind.SELF_HOSTED)], IMAGES)
    assert hosted.display == "self-hosted: your hardware"
    single = tool_cost("tool", [CLAUDE_API], IMAGES)
    assert single.display == "not covered: the plan does not state an image price"
    mixed = tool_cost("tool", [CLAUDE_API, plan(kind=PlanKind.CONTACT)], IMAGES)
    assert mixed.display == "not covered: no plan covers it; each plan says why"


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_on_the_starter_pairs_gives_a_figure_or_a_reason(starter, key):
    scenario = PRESETS[key].scenario
    comparisons = Comparison.objects.published().select_related("tool_a", "tool_b")
    assert comparisons
    for comparison in comparisons:
        for tool in (comparison.tool_a, comparison.tool_b):
            cost = tool_cost(tool, list(tool.plans.all()), scenario)
            figure = cost.display
            if cost.outcome == Outcome.PRICED:
                assert re.fullmatch(r"\$[\d,]+\.\d\d a month", figure), figure
                if cost.choice.monthly == 0:
                    assert cost.choice.plan.kind == PlanKind.FREE, (tool.slug, key, figure)
            elif cost.outcome == Outcome.SELF_HOSTED:
                assert figure == "self-hosted: your hardware"
            else:
                assert re.fullmatch(r"not covered: \S.+", figure), (tool.slug, key, figure)


@pytest.mark.django_db
def test_the_team_scenario_page_shows_no_zero_for_a_paid_api(client, starter):
    text = panel_text(client.get(REFERENCE, {"preset": "team"}))
    assert "$0.00" not in text
    assert (
        "Claude 4 Sonnet not covered: billed by use, and the scenario has no metered requests"
        in text
    )
    assert "SmolVLM-3B self-hosted: your hardware" in text


@pytest.mark.django_db
def test_the_images_scenario_page_names_the_missing_image_price(client, starter):
    text = panel_text(client.get(REFERENCE, {"preset": "images"}))
    assert "$0.00" not in text
    assert "Claude 4 Sonnet not covered: the plan does not state an image price" in text
