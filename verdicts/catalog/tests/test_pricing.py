"""The cost calculation: exact figures, coverage rules and the one-line pricing read."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from verdicts.catalog.models import PlanKind
from verdicts.catalog.plan_text import money, price_summary, pricing_read
from verdicts.catalog.pricing import (
    PRESETS,
    Outcome,
    Scenario,
    plan_cost,
    preset_default_for,
    tool_cost,
)

PLAN_DEFAULTS = {
    "name": "Plan",
    "kind": PlanKind.USAGE,
    "currency": "USD",
    "price": None,
    "unit": "",
    "input_per_mtok": None,
    "output_per_mtok": None,
    "cached_input_per_mtok": None,
    "per_request": None,
    "per_image": None,
    "long_context_threshold": None,
    "long_context_input_per_mtok": None,
    "long_context_output_per_mtok": None,
    "long_context_cached_input_per_mtok": None,
    "included_requests": None,
    "seats_included": None,
    "min_seats": None,
    "max_seats": None,
    "notes": "",
    "position": 0,
}


def plan(**fields) -> SimpleNamespace:
    """A plan as the calculation sees it: the model's fields, no database."""
    return SimpleNamespace(**{**PLAN_DEFAULTS, **fields})


CLAUDE_API = plan(
    name="Claude API",
    input_per_mtok=Decimal("3.00"),
    output_per_mtok=Decimal("15.00"),
    cached_input_per_mtok=Decimal("0.30"),
)
CI = PRESETS["ci-long-context"].scenario


def test_ci_preset_on_claude_api_costs_exactly_2880_dollars():
    cost = plan_cost(CLAUDE_API, CI)
    # 6,000 requests x (150,000 x $3 + 2,000 x $15) / 1M = 6,000 x $0.48
    assert cost.outcome == Outcome.PRICED
    assert cost.monthly == Decimal("2880")
    assert cost.display == "$2,880.00 a month"
    assert "$3.00 input / $15.00 output per million tokens" in cost.assumptions
    assert "6,000 billed requests" in cost.assumptions


def test_cached_input_bills_at_the_cached_rate_and_falls_back_to_the_input_rate():
    scenario = Scenario(requests=1, input_tokens=1_000_000, cached_percent=25)
    assert plan_cost(CLAUDE_API, scenario).monthly == Decimal("2.325")
    no_cache_price = plan(input_per_mtok=Decimal("3"), output_per_mtok=Decimal("15"))
    assert plan_cost(no_cache_price, scenario).monthly == Decimal("3")


def test_arithmetic_is_exact_where_floats_are_not():
    tiny = plan(input_per_mtok=Decimal("0.1"), output_per_mtok=Decimal("0.2"))
    cost = plan_cost(tiny, Scenario(requests=3, input_tokens=1, output_tokens=1))
    assert cost.monthly == Decimal("9E-7")
    assert 3 * (0.1 + 0.2) / 1_000_000 != 9e-7


def test_included_requests_are_free_then_usage_prices_apply():
    metered = plan(per_request=Decimal("0.01"), included_requests=1_000, price=Decimal("5"))
    assert plan_cost(metered, Scenario(requests=800)).monthly == Decimal("5")
    assert plan_cost(metered, Scenario(requests=1_500)).monthly == Decimal("10.00")


def test_allowance_without_usage_price_covers_up_to_the_allowance_only():
    free = plan(kind=PlanKind.FREE, price=Decimal("0"), included_requests=2_000)
    assert plan_cost(free, Scenario(requests=2_000)).monthly == Decimal("0")
    over = plan_cost(free, Scenario(requests=2_001))
    assert over.outcome == Outcome.NOT_COVERED
    assert over.reason == "includes 2,000 requests a month; the scenario needs more"


def test_subscription_without_a_stated_allowance_does_not_cover_api_requests():
    pro = plan(kind=PlanKind.TIERED, price=Decimal("20"))
    assert plan_cost(pro, Scenario(seats=1)).monthly == Decimal("20")
    assert plan_cost(pro, CI).outcome == Outcome.NOT_COVERED
    open_source = plan(kind=PlanKind.FREE)
    assert plan_cost(open_source, CI).monthly == Decimal("0")


def test_per_seat_plans_bill_every_seat_and_respect_minimum_and_maximum():
    teams = plan(kind=PlanKind.PER_SEAT, price=Decimal("40"), min_seats=3, max_seats=50)
    assert plan_cost(teams, Scenario(seats=10)).monthly == Decimal("400")
    small = plan_cost(teams, Scenario(seats=1))
    assert small.monthly == Decimal("120")
    assert "3 seats (the plan's minimum) at $40.00" in small.assumptions
    assert plan_cost(teams, Scenario(seats=51)).reason == "allows at most 50 seats"


def test_flat_subscriptions_are_one_per_seat_unless_they_cover_more():
    creator = plan(kind=PlanKind.TIERED, price=Decimal("22"))
    assert plan_cost(creator, Scenario(seats=5)).monthly == Decimal("110")
    team = plan(kind=PlanKind.TIERED, price=Decimal("100"), seats_included=4)
    assert plan_cost(team, Scenario(seats=5)).monthly == Decimal("200")


def test_self_hosted_is_stated_as_your_hardware_and_contact_is_not_covered():
    hosted = plan_cost(plan(kind=PlanKind.SELF_HOSTED), CI)
    assert hosted.outcome == Outcome.SELF_HOSTED and hosted.monthly is None
    assert hosted.display == "self-hosted: your hardware"
    assert "you pay for your own hardware" in hosted.assumptions[0]
    contact = plan_cost(plan(kind=PlanKind.CONTACT), CI)
    assert contact.outcome == Outcome.NOT_COVERED
    assert contact.reason == "price on request from the vendor"


def test_usage_plan_without_any_price_is_not_covered():
    for scenario in (CI, PRESETS["team"].scenario):
        unpriced = plan_cost(plan(name="API pay-as-you-go"), scenario)
        assert unpriced.outcome == Outcome.NOT_COVERED
        assert unpriced.reason == "no published usage price"


def test_free_plans_are_free_for_every_seat():
    cost = plan_cost(plan(kind=PlanKind.FREE, price=Decimal("0")), Scenario(seats=10))
    assert cost.monthly == 0 and cost.assumptions == ("free for every seat",)


def test_tool_cost_picks_the_cheapest_covering_plan():
    plans = [
        plan(name="Free", kind=PlanKind.FREE, included_requests=100, position=0),
        plan(name="Pro", kind=PlanKind.TIERED, price=Decimal("20"), position=1),
        plan(name="Teams", kind=PlanKind.PER_SEAT, price=Decimal("40"), position=2),
    ]
    team = tool_cost("tool", plans, Scenario(seats=3))
    assert team.choice.plan.name == "Free" and team.choice.monthly == 0
    busy = tool_cost("tool", plans, Scenario(seats=3, requests=500))
    assert busy.outcome == Outcome.NOT_COVERED and busy.choice is None
    assert [cost.outcome for cost in busy.plans] == [Outcome.NOT_COVERED] * 3


def test_tool_cost_prefers_a_priced_plan_and_names_the_self_hosted_alternative():
    whisper = [
        plan(name="Self-hosted", kind=PlanKind.SELF_HOSTED, position=0),
        plan(name="API", per_request=Decimal("0.006"), unit="per audio minute", position=1),
    ]
    cost = tool_cost("whisper", whisper, PRESETS["metered"].scenario)
    assert cost.choice.plan.name == "API" and cost.choice.monthly == Decimal("60.000")
    assert cost.self_hosted_alternative.plan.name == "Self-hosted"
    only_hosted = tool_cost("smol", whisper[:1], CI)
    assert only_hosted.outcome == Outcome.SELF_HOSTED
    assert only_hosted.self_hosted_alternative is None


def test_scenario_rejects_numbers_out_of_bounds():
    with pytest.raises(ValueError, match="seats must be a whole number from 1"):
        Scenario(seats=0)
    with pytest.raises(ValueError, match="cached_percent"):
        Scenario(cached_percent=101)
    assert Scenario(requests=6_000, input_tokens=150_000, output_tokens=2_000).statement == [
        "1 seat",
        "6,000 requests a month",
        "150,000 input and 2,000 output tokens a request",
    ]


@pytest.mark.parametrize(
    ("plans", "read"),
    [
        ([plan(kind=PlanKind.SELF_HOSTED)], "free to self-host; pay for your GPU"),
        ([CLAUDE_API], "usage-based; long context multiplies the bill"),
        (
            [plan(kind=PlanKind.SELF_HOSTED), plan(kind=PlanKind.CONTACT)],
            "free to self-host; pay for your GPU; larger deals on request",
        ),
        (
            [
                plan(kind=PlanKind.FREE, price=Decimal(0)),
                plan(kind=PlanKind.TIERED, price=Decimal("20")),
                plan(kind=PlanKind.PER_SEAT, price=Decimal("40")),
            ],
            "free tier, then subscriptions from $20.00 a month",
        ),
        (
            [
                plan(kind=PlanKind.SELF_HOSTED),
                plan(per_request=Decimal("0.006"), unit="per audio minute"),
            ],
            "usage-based: $0.006 per audio minute; or self-host on your own hardware",
        ),
        (
            [plan(kind=PlanKind.PER_SEAT, price=Decimal("19"))],
            "subscriptions from $19.00 a seat a month",
        ),
        ([plan(kind=PlanKind.FREE)], "free to use"),
        ([plan(kind=PlanKind.CONTACT)], "price on request"),
        ([], "no published pricing"),
    ],
)
def test_pricing_read_is_one_line_derived_from_the_plans(plans, read):
    assert pricing_read(plans) == read


def test_default_preset_follows_how_the_plans_bill():
    assert (
        preset_default_for([CLAUDE_API, plan(kind=PlanKind.SELF_HOSTED)]).key == "ci-long-context"
    )
    assert preset_default_for([plan(per_image=Decimal("0.04"))]).key == "images"
    assert preset_default_for([plan(per_request=Decimal("0.01"))]).key == "metered"
    assert preset_default_for([plan(kind=PlanKind.TIERED, price=Decimal(10))]).key == "team"


def test_money_shows_cents_for_sums_and_four_places_for_unit_prices():
    assert money(Decimal("2880"), "USD") == "$2,880.00"
    assert money(Decimal("0.0043"), "USD") == "$0.0043"
    assert money(Decimal("0.00001"), "USD") == "$0.0001"
    assert money(Decimal("12.345"), "EUR") == "€12.35"
    assert money(Decimal("3"), "CHF") == "CHF 3.00"


def test_price_summary_describes_each_kind():
    assert price_summary(CLAUDE_API) == "$3.00 in / $15.00 out / $0.30 cached per 1M tokens"
    seats = plan(kind=PlanKind.PER_SEAT, price=Decimal("19"))
    assert price_summary(seats) == "$19.00 a seat a month"
    assert price_summary(plan(kind=PlanKind.SELF_HOSTED)) == "free to run; your hardware"
    assert price_summary(plan(kind=PlanKind.FREE)) == "free"
