"""What a pricing plan costs for a usage scenario: exact Decimal arithmetic, no database.

Everything here works on plain objects carrying the plan fields (a PricingPlan, a PlanPrice
history entry, or a test double), so the calculation is testable without a database.
"""

import decimal
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from verdicts.catalog.models import PlanKind

MILLION = Decimal(1_000_000)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
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
USAGE_PRICE_FIELDS = ("input_per_mtok", "output_per_mtok", "per_request", "per_image")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


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


def has_token_prices(plan: Any) -> bool:
    return plan.input_per_mtok is not None or plan.output_per_mtok is not None


def has_usage_prices(plan: Any) -> bool:
    return any(getattr(plan, name) is not None for name in USAGE_PRICE_FIELDS)


def preset_default_for(plans: Iterable[Any]) -> Preset:
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

    plan: Any
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
            return "self-hosted"
        return "not covered"


@dataclass(frozen=True)
class ToolCost:
    """A tool's answer for one scenario: the cheapest covering plan and every plan's result."""

    tool: Any
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


def not_covered(plan: Any, reason: str) -> PlanCost:
    return PlanCost(plan=plan, outcome=Outcome.NOT_COVERED, reason=reason)


def plan_cost(plan: Any, scenario: Scenario) -> PlanCost:
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


def metered_cost(plan: Any, scenario: Scenario) -> PlanCost:
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


def usage_cost(plan: Any, scenario: Scenario, notes: list[str]) -> Decimal | str:
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


def is_long_context(plan: Any, scenario: Scenario) -> bool:
    threshold = plan.long_context_threshold
    return threshold is not None and scenario.input_tokens > threshold


def token_rates(plan: Any, scenario: Scenario) -> TokenRates:
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


def token_note(plan: Any, scenario: Scenario) -> str:
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


def long_context_summary(plan: Any) -> str:
    """The plan's long-context tier in one phrase, or nothing when it has none."""
    if plan.long_context_threshold is None:
        return ""
    rates = [
        rate(plan.long_context_input_per_mtok or Decimal(0), plan.currency) + " in",
        rate(plan.long_context_output_per_mtok or Decimal(0), plan.currency) + " out",
    ]
    if plan.long_context_cached_input_per_mtok is not None:
        rates.append(rate(plan.long_context_cached_input_per_mtok, plan.currency) + " cached")
    return f"above {token_count(plan.long_context_threshold)} input tokens: " + " / ".join(rates)


def rate(amount: Decimal, currency: str) -> str:
    """A unit price as short as it reads: $6 rather than $6.00, but $22.50 kept."""
    shown = money(amount, currency)
    return shown.removesuffix(".00")


def token_count(tokens: int) -> str:
    """200000 as 200K and 1000000 as 1M; other counts with separators."""
    if tokens % 1_000_000 == 0:
        return f"{tokens // 1_000_000:,}M"
    if tokens % 1_000 == 0:
        return f"{tokens // 1_000:,}K"
    return f"{tokens:,}"


def tool_cost(tool: Any, plans: Sequence[Any], scenario: Scenario) -> ToolCost:
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


def pricing_read(plans: Iterable[Any]) -> str:
    """One line a buyer can use, derived from the plans: how the bill works."""
    plans = list(plans)
    if not plans:
        return "no published pricing"
    kinds = {plan.kind for plan in plans}
    usage = [plan for plan in plans if plan.kind == PlanKind.USAGE]
    subscriptions = [
        plan
        for plan in plans
        if plan.kind in (PlanKind.TIERED, PlanKind.PER_SEAT) and plan.price is not None
    ]
    metered = [plan for plan in usage if plan.per_request is not None]
    if any(has_token_prices(plan) for plan in usage):
        read = "usage-based; long context multiplies the bill"
    elif metered:
        plan = min(metered, key=lambda plan: plan.per_request)
        read = f"usage-based: {money(plan.per_request, plan.currency)} {plan.unit or 'a request'}"
    elif subscriptions:
        plan = min(subscriptions, key=lambda plan: plan.price)
        unit = "a seat a month" if plan.kind == PlanKind.PER_SEAT else "a month"
        read = f"subscriptions from {money(plan.price, plan.currency)} {unit}"
    elif PlanKind.SELF_HOSTED in kinds and PlanKind.FREE not in kinds:
        read = "free to self-host; pay for your GPU"
    elif PlanKind.FREE in kinds:
        read = "free to use"
    elif usage:
        read = "usage-based; rates not published"
    else:
        return "price on request"
    if PlanKind.FREE in kinds and (usage or subscriptions):
        read = "free tier, then " + read
    if PlanKind.SELF_HOSTED in kinds and not read.startswith("free to self-host"):
        read += "; or self-host on your own hardware"
    elif PlanKind.CONTACT in kinds:
        read += "; larger deals on request"
    return read


def money(amount: Decimal, currency: str) -> str:
    """An amount for people: cents for sums, up to four places for unit prices."""
    symbol = CURRENCY_SYMBOLS.get(currency)
    places = CENT if abs(amount) >= 1 or amount == 0 else Decimal("0.0001")
    with decimal.localcontext(decimal.Context(prec=80, rounding=decimal.ROUND_HALF_UP)):
        shown = amount.quantize(places)
        if places != CENT:
            shown = max(shown, Decimal("0.0001")).normalize()
            if shown.as_tuple().exponent > -2:
                shown = shown.quantize(CENT)
    text = f"{shown:,.2f}" if places == CENT else f"{shown:f}"
    return f"{symbol}{text}" if symbol else f"{currency} {text}"


def price_summary(plan: Any) -> str:
    """A plan's prices in one phrase (for history entries and the API)."""
    if plan.kind == PlanKind.SELF_HOSTED:
        return "free to run; your hardware"
    if plan.kind == PlanKind.CONTACT:
        return "contact sales"
    parts = []
    if plan.price is not None:
        per = " a seat" if plan.kind == PlanKind.PER_SEAT else ""
        parts.append(f"{money(plan.price, plan.currency)}{per} a month")
    if has_token_prices(plan):
        rates = [
            money(plan.input_per_mtok or Decimal(0), plan.currency) + " in",
            money(plan.output_per_mtok or Decimal(0), plan.currency) + " out",
        ]
        if plan.cached_input_per_mtok is not None:
            rates.append(money(plan.cached_input_per_mtok, plan.currency) + " cached")
        tier = long_context_summary(plan)
        parts.append(" / ".join(rates) + " per 1M tokens" + (f" ({tier})" if tier else ""))
    if plan.per_request is not None:
        parts.append(f"{money(plan.per_request, plan.currency)} a request")
    if plan.per_image is not None:
        parts.append(f"{money(plan.per_image, plan.currency)} an image")
    if plan.included_requests is not None:
        parts.append(f"{plan.included_requests:,} requests included")
    if not parts:
        return "free" if plan.kind == PlanKind.FREE else "no published price"
    return " + ".join(parts)
