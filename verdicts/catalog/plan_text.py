"""Plans in words: money, unit prices, a plan's prices in one phrase and a tool's pricing read.

Works on any PlanLike (a plan, a history entry or a test double), like the cost calculation in
pricing.py.
"""

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from verdicts.catalog.models import PRICE_SPECS, PlanKind

CENT = Decimal("0.01")
USAGE_PRICE_FIELDS = ("input_per_mtok", "output_per_mtok", "per_request", "per_image")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
# The dossier's words for each money price: its label without "price" ("per request"). The
# long-context prices have their own phrase, long_context_summary.
STATED_PRICES = tuple(
    (spec.name, " ".join(word for word in spec.label.split() if word != "price") or "price")
    for spec in PRICE_SPECS
    if spec.type is Decimal and not spec.name.startswith("long_context_")
)


class PlanLike(Protocol):
    """A plan's prices, as the words and the cost calculation read them: a PricingPlan, a
    PlanPrice history entry or a test double."""

    kind: str
    currency: str
    price: Decimal | None
    input_per_mtok: Decimal | None
    output_per_mtok: Decimal | None
    cached_input_per_mtok: Decimal | None
    per_request: Decimal | None
    per_image: Decimal | None
    long_context_threshold: int | None
    long_context_input_per_mtok: Decimal | None
    long_context_output_per_mtok: Decimal | None
    long_context_cached_input_per_mtok: Decimal | None
    included_requests: int | None
    seats_included: int | None
    min_seats: int | None
    max_seats: int | None


class ListedPlan(PlanLike, Protocol):
    """A plan as a tool lists it: its prices, the unit they are quoted in and its place."""

    unit: str
    position: int


def has_token_prices(plan: PlanLike) -> bool:
    return plan.input_per_mtok is not None or plan.output_per_mtok is not None


def has_usage_prices(plan: PlanLike) -> bool:
    return any(getattr(plan, name) is not None for name in USAGE_PRICE_FIELDS)


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


def long_context_summary(plan: PlanLike) -> str:
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


def price_summary(plan: PlanLike) -> str:
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


def prices_stated(plan: PlanLike) -> list[str]:
    """Each money price the plan sets, in the dossier's words: "per request 0.01 USD"."""
    return [
        f"{label} {getattr(plan, name)} {plan.currency}"
        for name, label in STATED_PRICES
        if getattr(plan, name) is not None
    ]


def pricing_read(plans: Iterable[ListedPlan]) -> str:
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
