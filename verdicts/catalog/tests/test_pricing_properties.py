"""Property tests: more usage never costs less, the chosen plan is the cheapest cover, and a
plan covers only a scenario it bills."""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from verdicts.catalog.models import PlanKind, PricingPlan
from verdicts.catalog.pricing import Outcome, Scenario, plan_cost, tool_cost

money = st.decimals(min_value=0, max_value=Decimal("99999999.9999"), places=4)
maybe_money = st.none() | money
maybe_count = st.none() | st.integers(min_value=1, max_value=5_000)


@st.composite
def plans(draw, position: int = 0) -> SimpleNamespace:
    plan = SimpleNamespace(
        name=f"Plan {position}",
        kind=draw(st.sampled_from(list(PlanKind))),
        currency="USD",
        unit="",
        notes="",
        position=position,
        price=draw(maybe_money),
        input_per_mtok=draw(maybe_money),
        output_per_mtok=draw(maybe_money),
        cached_input_per_mtok=draw(maybe_money),
        per_request=draw(maybe_money),
        per_image=draw(maybe_money),
        included_requests=draw(st.none() | st.integers(min_value=0, max_value=100_000)),
        seats_included=draw(maybe_count),
        min_seats=draw(st.none() | st.integers(min_value=0, max_value=500)),
        max_seats=draw(maybe_count),
        long_context_threshold=None,
        long_context_input_per_mtok=None,
        long_context_output_per_mtok=None,
        long_context_cached_input_per_mtok=None,
    )
    if plan.input_per_mtok is not None and plan.output_per_mtok is not None and draw(st.booleans()):
        add_long_context_tier(draw, plan)
    return plan


def add_long_context_tier(draw, plan: SimpleNamespace) -> None:
    """A tier the model accepts: a threshold, and rates no lower than the ones below it."""
    plan.long_context_threshold = draw(st.integers(min_value=1, max_value=2_000_000))
    cached = (
        plan.input_per_mtok if plan.cached_input_per_mtok is None else plan.cached_input_per_mtok
    )
    plan.long_context_input_per_mtok = plan.input_per_mtok + draw(money)
    plan.long_context_output_per_mtok = plan.output_per_mtok + draw(money)
    if draw(st.booleans()):
        plan.long_context_cached_input_per_mtok = cached + draw(money)
    elif plan.long_context_input_per_mtok < cached:
        plan.long_context_input_per_mtok = cached
    PricingPlan(**vars(plan)).clean()


scenarios = st.builds(
    Scenario,
    seats=st.integers(min_value=1, max_value=10_000),
    requests=st.integers(min_value=0, max_value=10_000_000),
    input_tokens=st.integers(min_value=0, max_value=2_000_000),
    output_tokens=st.integers(min_value=0, max_value=200_000),
    cached_percent=st.integers(min_value=0, max_value=100),
    images=st.integers(min_value=0, max_value=20),
)
more = st.integers(min_value=0, max_value=1_000_000)


def grown(scenario: Scenario, extra: tuple[int, ...]) -> Scenario:
    """The same scenario with more of everything (the cache share stays the same)."""
    seats, requests, input_tokens, output_tokens, images = extra
    return Scenario(
        seats=min(scenario.seats + seats, 1_000_000),
        requests=scenario.requests + requests,
        input_tokens=scenario.input_tokens + input_tokens,
        output_tokens=scenario.output_tokens + output_tokens,
        cached_percent=scenario.cached_percent,
        images=min(scenario.images + images % 50, 1_000),
    )


def bills_nothing(plan, scenario: Scenario) -> bool:
    """A usage plan that none of the scenario's use is billed on: no requests, or requests
    carrying no priced tokens or images on a plan without a per-request price."""
    if plan.kind != PlanKind.USAGE:
        return False
    if not scenario.requests:
        return True
    tokens = plan.input_per_mtok is not None or plan.output_per_mtok is not None
    priced = [plan.input_per_mtok, plan.output_per_mtok, plan.per_request, plan.per_image]
    return (
        any(price is not None for price in priced)
        and plan.per_request is None
        and not (tokens and (scenario.input_tokens or scenario.output_tokens))
        and not (plan.per_image is not None and scenario.images)
    )


@settings(max_examples=300, deadline=None)
@given(plans(), scenarios)
def test_a_usage_plan_covers_only_what_it_bills(plan, scenario):
    cost = plan_cost(plan, scenario)
    if bills_nothing(plan, scenario):
        assert cost.outcome == Outcome.NOT_COVERED and cost.reason
    priced = [plan.input_per_mtok, plan.output_per_mtok, plan.per_request]
    images_unpriced = scenario.requests and scenario.images and plan.per_image is None
    if images_unpriced and any(p is not None for p in priced):
        assert cost.outcome != Outcome.PRICED


@settings(max_examples=300, deadline=None)
@given(plans(), scenarios, st.tuples(more, more, more, more, more))
def test_more_usage_never_costs_less_on_the_same_plan(plan, scenario, extra):
    small, large = plan_cost(plan, scenario), plan_cost(plan, grown(scenario, extra))
    assert (
        small.outcome == Outcome.PRICED
        or large.outcome != Outcome.PRICED
        or bills_nothing(plan, scenario)
    )
    if small.outcome == Outcome.PRICED and large.outcome == Outcome.PRICED:
        assert small.monthly <= large.monthly
    assert (small.outcome == Outcome.SELF_HOSTED) == (plan.kind == PlanKind.SELF_HOSTED)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda count: st.tuples(*(plans(position=i) for i in range(count)))
    ),
    scenarios,
)
def test_the_chosen_plan_is_the_cheapest_that_covers_the_scenario(tool_plans, scenario):
    result = tool_cost("tool", list(tool_plans), scenario)
    priced = [cost for cost in result.plans if cost.outcome == Outcome.PRICED]
    if priced:
        assert result.choice.outcome == Outcome.PRICED
        assert all(result.choice.monthly <= cost.monthly for cost in priced)
    elif any(plan.kind == PlanKind.SELF_HOSTED for plan in tool_plans):
        assert result.outcome == Outcome.SELF_HOSTED
    else:
        assert result.choice is None and result.outcome == Outcome.NOT_COVERED
    assert all(
        cost.outcome == Outcome.NOT_COVERED
        for cost in result.plans
        if cost.plan.kind == PlanKind.CONTACT
    )


@settings(max_examples=300, deadline=None)
@given(plans(), scenarios)
def test_the_figure_equals_the_same_sum_done_in_exact_fractions(plan, scenario):
    cost = plan_cost(plan, scenario)
    if cost.outcome != Outcome.PRICED:
        return
    assert Fraction(cost.monthly) == reference_cost(plan, scenario)


def reference_cost(plan, scenario: Scenario) -> Fraction:
    """The pricing rules written out again with Fractions, independently of the module."""

    def f(value) -> Fraction:
        return Fraction(value or 0)

    if plan.kind == PlanKind.PER_SEAT:
        total = f(plan.price) * max(scenario.seats, plan.min_seats or 0)
    elif plan.kind == PlanKind.USAGE:
        total = f(plan.price)
    else:
        accounts = -(-scenario.seats // (plan.seats_included or 1))
        total = f(plan.price) * accounts
    priced = [plan.input_per_mtok, plan.output_per_mtok, plan.per_request, plan.per_image]
    if not scenario.requests or all(price is None for price in priced):
        return total
    billable = max(0, scenario.requests - (plan.included_requests or 0))
    each = Fraction(0)
    if plan.input_per_mtok is not None or plan.output_per_mtok is not None:
        cached = Fraction(scenario.input_tokens * scenario.cached_percent, 100)
        threshold = plan.long_context_threshold
        prefix = "long_context_" if threshold and scenario.input_tokens > threshold else ""
        input_price = getattr(plan, f"{prefix}input_per_mtok")
        cached_price = getattr(plan, f"{prefix}cached_input_per_mtok")
        if cached_price is None:
            cached_price = input_price
        each += (
            (scenario.input_tokens - cached) * f(input_price)
            + cached * f(cached_price)
            + scenario.output_tokens * f(getattr(plan, f"{prefix}output_per_mtok"))
        ) / 1_000_000
    each += f(plan.per_request) + f(plan.per_image) * scenario.images
    return total + each * billable
