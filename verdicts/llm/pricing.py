"""What a call used and what it cost: token counts, the price table, and the arithmetic."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: Decimal
    output: Decimal
    cached_input: Decimal | None = None
    cache_write: Decimal | None = None


def prices_parse(table: Mapping[str, Any], *, extra_json: str = "") -> dict[str, Price]:
    """The price table with the JSON entries laid over it; ValueError says what is wrong."""
    extra = json.loads(extra_json or "{}")
    if not isinstance(extra, dict):
        raise ValueError("the extra prices must be a JSON object of model name to prices")
    prices: dict[str, Price] = {}
    for model, entry in {**table, **extra}.items():
        if not isinstance(entry, dict) or not {"input", "output"} <= set(entry):
            raise ValueError(f"{model!r}: give at least input and output dollars per million")
        unknown = set(entry) - {"input", "output", "cached_input", "cache_write"}
        if unknown:
            raise ValueError(f"{model!r}: unknown price field(s) {', '.join(sorted(unknown))}")
        try:
            as_dec = {key: Decimal(str(value)) for key, value in entry.items()}
        except ArithmeticError as error:
            raise ValueError(f"{model!r}: prices must be numbers") from error
        if any(not value.is_finite() or value < 0 for value in as_dec.values()):
            raise ValueError(f"{model!r}: prices must be numbers of zero or more")
        prices[model] = Price(
            input=as_dec["input"],
            output=as_dec["output"],
            cached_input=as_dec.get("cached_input"),
            cache_write=as_dec.get("cache_write"),
        )
    return prices


def price_lookup(model_id: str, prices: Mapping[str, Price]) -> Price | None:
    """The price of a model string: an entry for the whole string, else for its model name."""
    name = model_id.split("#", 1)[1] if "#" in model_id else model_id.split(":", 1)[-1]
    return prices.get(model_id) or prices.get(name)


def cost_usd(usage: Usage, price: Price) -> Decimal:
    """What a call cost. Reported input tokens include cached reads and cache writes."""
    cached_price = price.input if price.cached_input is None else price.cached_input
    write_price = price.input if price.cache_write is None else price.cache_write
    plain = max(0, usage.input_tokens - usage.cached_tokens - usage.cache_write_tokens)
    total = (
        plain * price.input
        + usage.cached_tokens * cached_price
        + usage.cache_write_tokens * write_price
        + usage.output_tokens * price.output
    )
    return (total / Decimal(1_000_000)).quantize(Decimal("0.000001"))
