"""What a pricing plan costs for a usage scenario: exact Decimal arithmetic, no database.

Everything here works on any ListedPlan (a PricingPlan, or a test double carrying the same
fields), so the calculation is testable without a database.
"""

import decimal
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum

from verdicts.catalog.models import PlanKind
from verdicts.catalog.plan_text import ListedPlan, has_token_prices, has_usage_prices, money

MILLION = Decimal(1_000_000)
HUNDRED = Decimal(100)
DAYS_PER_MONTH = 30

# Upper bounds for every scenario number, shared by the web form and the API: large enough for
# any real workload, small enough that every product below fits the exact context.
LIMITS = {
    "seats": (1, 1_000_000),
    "requests": (0, 10_000_000_000),
    "input_tokens": (0, 100_000_000),
    "output_tokens": (0, 100_000_000),
    "cached_percent": (0, 100),
    "images": (0, 1_000),
}
SELF_HOSTED_FIGURE = "self-hosted: your hardware"
IMAGE_PRICE_MISSING = "the plan does not state an image price"


def exact() -> decimal.Context:
    """A context that raises instead of rounding, so every figure is exact or an error."""
    return decimal.Context(prec=80, traps=[decimal.Inexact, decimal.InvalidOperation])


@dataclass(frozen=True)
class Scenario:
    """A month of use: seats, and requests with their size."""

    seats: int = 1
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_percent: int = 0
    images: int = 0

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high}")

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def statement(self) -> list[str]:
        """The scenario in words, one assumption a line."""
        lines = [f"{self.seats:,} seat{'s' if self.seats != 1 else ''}"]
        if self.requests:
            lines.append(f"{self.requests:,} requests a month")
            if self.input_tokens or self.output_tokens:
                lines.append(
                    f"{self.input_tokens:,} input and {self.output_tokens:,} output tokens "
                    "a request"
                )
            if self.cached_percent:
                lines.append(f"{self.cached_percent}% of input tokens read from a prompt cache")
            if self.images:
                lines.append(f"{self.images:,} image{'s' if self.images != 1 else ''} a request")
        else:
            lines.append("no metered API requests")
        return lines


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    scenario: Scenario


PRESETS = {
    preset.key: preset
    for preset in [
        Preset(
            "ci-long-context",
            "A CI job that sends 200 long-context requests a day",
            Scenario(requests=200 * DAYS_PER_MONTH, input_tokens=150_000, output_tokens=2_000),
        ),
        Preset(
            "support-bot",
            "A support chatbot answering 3,000 questions a day",
            Scenario(
                requests=3_000 * DAYS_PER_MONTH,
                input_tokens=2_000,
                output_tokens=400,
                cached_percent=50,
            ),
        ),
        Preset("team", "A team of 10 developers, a seat each", Scenario(seats=10)),
        Preset("solo", "One developer's own seat", Scenario(seats=1)),
        Preset(
            "metered",
            "10,000 metered units a month (requests, or audio minutes)",
            Scenario(requests=10_000),
        ),
        Preset(
            "images",
            "A catalogue job generating 1,000 images a month",
            Scenario(requests=1_000, images=1),
        ),
    ]
}


def preset_default_for(plans: Iterable[ListedPlan]) -> Preset:
    """The preset that suits these plans best: tokens, images, metered units, else seats."""
    plans = list(plans)
    metered = [plan for plan in plans if plan.kind == PlanKind.USAGE]
    if any(has_token_prices(plan) for plan in metered):
        return PRESETS["ci-long-context"]
    if any(plan.per_image is not None for plan in metered):
        return PRESETS["images"]
    if any(plan.per_request is not None for plan in metered):
        return PRESETS["metered"]
    return PRESETS["team"]


class Outcome(StrEnum):
    PRICED = "priced"
    SELF_HOSTED = "self_hosted"
    NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class PlanCost:
    """One plan against one scenario: its monthly cost, or why it has none."""

    plan: ListedPlan
    outcome: Outcome
    monthly: Decimal | None = None
    assumptions: tuple[str, ...] = ()
    reason: str = ""

    @property
    def covers(self) -> bool:
        return self.outcome != Outcome.NOT_COVERED

    @property
    def currency(self) -> str:
        return self.plan.currency

    @property
    def display(self) -> str:
        if self.outcome == Outcome.PRICED:
            return money(self.monthly, self.currency) + " a month"
        if self.outcome == Outcome.SELF_HOSTED:
            return SELF_HOSTED_FIGURE
        return "not covered"


@dataclass(frozen=True)
class ToolCost[T]:
    """A tool's answer for one scenario: the cheapest covering plan and every plan's result."""

    tool: T
    choice: PlanCost | None
    plans: list[PlanCost] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        return self.choice.outcome if self.choice else Outcome.NOT_COVERED

    @property
    def self_hosted_alternative(self) -> PlanCost | None:
        """A self-hosted plan worth naming beside a priced choice."""
        if self.outcome != Outcome.PRICED:
            return None
        return next((c for c in self.plans if c.outcome == Outcome.SELF_HOSTED), None)

    @property
    def others(self) -> list[PlanCost]:
        return [cost for cost in self.plans if cost is not self.choice]

    @property
    def reason(self) -> str:
        """Why no plan covers the scenario: the plans' one shared reason, else a pointer."""
        if self.choice:
            return ""
        reasons = {cost.reason for cost in self.plans} or {"no published pricing"}
        return reasons.pop() if len(reasons) == 1 else "no plan covers it; each plan says why"

    @property
    def display(self) -> str:
        """The figure: a monthly cost, self-hosted, or not covered with the reason."""
        return self.choice.display if self.choice else f"not covered: {self.reason}"


def not_covered(plan: ListedPlan, reason: str) -> PlanCost:
    return PlanCost(plan=plan, outcome=Outcome.NOT_COVERED, reason=reason)


def plan_cost(plan: ListedPlan, scenario: Scenario) -> PlanCost:
    """What this plan costs a month for the scenario, with the assumptions behind the figure."""
    if plan.kind == PlanKind.CONTACT:
        return not_covered(plan, "price on request from the vendor")
    if plan.kind == PlanKind.SELF_HOSTED:
        return PlanCost(
            plan=plan,
            outcome=Outcome.SELF_HOSTED,
            assumptions=("free to run; you pay for your own hardware (GPU or CPU time)",),
        )
    if plan.max_seats is not None and scenario.seats > plan.max_seats:
        return not_covered(plan, f"allows at most {plan.max_seats:,} seats")
    with decimal.localcontext(exact()):
        return metered_cost(plan, scenario)


def metered_cost(plan: ListedPlan, scenario: Scenario) -> PlanCost:
    notes: list[str] = []
    if plan.kind == PlanKind.PER_SEAT:
        if plan.price is None:
            return not_covered(plan, "no published seat price")
        billed = max(scenario.seats, plan.min_seats or 0)
        total = plan.price * billed
        minimum = " (the plan's minimum)" if billed > scenario.seats else ""
        notes.append(f"{billed:,} seats{minimum} at {money(plan.price, plan.currency)}")
    elif plan.kind == PlanKind.USAGE:
        if plan.price is None and not has_usage_prices(plan):
            return not_covered(plan, "no published usage price")
        unbilled = unbilled_reason(plan, scenario)
        if unbilled:
            return not_covered(plan, unbilled)
        total = plan.price or Decimal(0)
        if plan.price:
            notes.append(f"{money(plan.price, plan.currency)} monthly fee")
    else:
        if plan.kind == PlanKind.TIERED and plan.price is None:
            return not_covered(plan, "no published subscription price")
        per_account = plan.seats_included or 1
        accounts = math.ceil(scenario.seats / per_account)
        total = (plan.price or Decimal(0)) * accounts
        if total:
            covers = "one seat" if per_account == 1 else f"{per_account:,} seats"
            price = money(plan.price, plan.currency)
            notes.append(f"{accounts:,} subscription{'s' if accounts != 1 else ''} at {price}")
            notes.append(f"one subscription covers {covers}")
        else:
            notes.append("free for every seat")
    if scenario.requests:
        usage = usage_cost(plan, scenario, notes)
        if isinstance(usage, str):
            return not_covered(plan, usage)
        total += usage
    return PlanCost(plan=plan, outcome=Outcome.PRICED, monthly=total, assumptions=tuple(notes))


def unbilled_reason(plan: ListedPlan, scenario: Scenario) -> str:
    """Why none of a usage plan's prices applies to the scenario, or "" when one does.

    Such a plan would otherwise show a paid tool at $0.00 for a workload it does not price.
    """
    if not scenario.requests:
        return "billed by use, and the scenario has no metered requests"
    if not has_usage_prices(plan):
        return ""
    tokens = scenario.input_tokens + scenario.output_tokens
    if plan.per_request is not None or (has_token_prices(plan) and tokens) or scenario.images:
        return ""
    billed = "tokens" if has_token_prices(plan) else "images"
    return f"bills {billed}, and the scenario's requests carry none"


def usage_cost(plan: ListedPlan, scenario: Scenario, notes: list[str]) -> Decimal | str:
    """The metered part of the bill, or the reason the plan cannot carry the requests."""
    allowance = plan.included_requests
    if not has_usage_prices(plan):
        if allowance is None and plan.kind == PlanKind.FREE:
            notes.append("no request limit stated")
            return Decimal(0)
        if allowance is None:
            return "states no request allowance and no usage price"
        if scenario.requests > allowance:
            return f"includes {allowance:,} requests a month; the scenario needs more"
        notes.append(f"{allowance:,} requests a month included")
        return Decimal(0)
    if scenario.images and plan.per_image is None:
        return IMAGE_PRICE_MISSING
    billable = max(0, scenario.requests - (allowance or 0))
    if allowance:
        notes.append(f"first {allowance:,} requests a month included")
    per_request = Decimal(0)
    if has_token_prices(plan):
        cached = Decimal(scenario.input_tokens * scenario.cached_percent) / HUNDRED
        fresh = scenario.input_tokens - cached
        rates = token_rates(plan, scenario)
        per_request += (
            fresh * rates.input + cached * rates.cached + scenario.output_tokens * rates.output
        ) / MILLION
        notes.append(token_note(plan, scenario))
    elif scenario.input_tokens or scenario.output_tokens:
        notes.append("tokens are not billed on this plan")
    if plan.per_request is not None:
        per_request += plan.per_request
        unit = plan.unit or "per request"
        notes.append(f"{money(plan.per_request, plan.currency)} {unit}")
    if plan.per_image is not None and scenario.images:
        per_request += plan.per_image * scenario.images
        notes.append(f"{money(plan.per_image, plan.currency)} per image")
    notes.append(f"{billable:,} billed requests")
    return per_request * billable


@dataclass(frozen=True)
class TokenRates:
    """The per-million-token prices one request pays, and whether they are long-context."""

    input: Decimal
    output: Decimal
    cached: Decimal
    cached_stated: bool
    long_context: bool


def is_long_context(plan: ListedPlan, scenario: Scenario) -> bool:
    threshold = plan.long_context_threshold
    return threshold is not None and scenario.input_tokens > threshold


def token_rates(plan: ListedPlan, scenario: Scenario) -> TokenRates:
    """The rates for the scenario's requests: long-context ones past the plan's threshold.

    The whole request, input and output, bills at the long-context rates once its input
    passes the threshold, as Anthropic and Google bill it.
    """
    if is_long_context(plan, scenario):
        input_price = plan.long_context_input_per_mtok or Decimal(0)
        output_price = plan.long_context_output_per_mtok or Decimal(0)
        cached_price = plan.long_context_cached_input_per_mtok
    else:
        input_price = plan.input_per_mtok or Decimal(0)
        output_price = plan.output_per_mtok or Decimal(0)
        cached_price = plan.cached_input_per_mtok
    return TokenRates(
        input=input_price,
        output=output_price,
        cached=input_price if cached_price is None else cached_price,
        cached_stated=cached_price is not None,
        long_context=is_long_context(plan, scenario),
    )


def token_note(plan: ListedPlan, scenario: Scenario) -> str:
    rates = token_rates(plan, scenario)
    parts = [
        f"{money(rates.input, plan.currency)} input",
        f"{money(rates.output, plan.currency)} output",
    ]
    if scenario.cached_percent:
        if rates.cached_stated:
            parts.append(f"{money(rates.cached, plan.currency)} cached input")
        else:
            parts.append("cached input at the input price")
    note = " / ".join(parts) + " per million tokens"
    if rates.long_context:
        note = (
            f"each request's {scenario.input_tokens:,} input tokens pass the plan's "
            f"{plan.long_context_threshold:,}-token threshold, so its input and output bill "
            f"at the long-context rates: {note}"
        )
    elif plan.long_context_threshold is not None:
        note += (
            f" (a request above {plan.long_context_threshold:,} input tokens would bill "
            "its input and output at the long-context rates)"
        )
    return note


def tool_cost[T](tool: T, plans: Sequence[ListedPlan], scenario: Scenario) -> ToolCost[T]:
    """The cheapest plan that covers the scenario; self-hosted when only that fits."""
    costs = [plan_cost(plan, scenario) for plan in plans]
    priced = [cost for cost in costs if cost.outcome == Outcome.PRICED]
    home_currency = plans[0].currency if plans else ""
    choice = min(
        priced,
        key=lambda cost: (cost.currency != home_currency, cost.monthly, cost.plan.position),
        default=None,
    )
    if choice is None:
        choice = next((cost for cost in costs if cost.outcome == Outcome.SELF_HOSTED), None)
    return ToolCost(tool=tool, choice=choice, plans=costs)
