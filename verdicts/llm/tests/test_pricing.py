from decimal import Decimal

import pytest

from verdicts.llm.pricing import Price, Usage, cost_usd, price_lookup, prices_parse


def test_cost_prices_cached_reads_and_cache_writes_inside_the_input_count():
    price = Price(
        input=Decimal(3), output=Decimal(15), cached_input=Decimal("0.3"), cache_write=Decimal(4)
    )
    usage = Usage(
        input_tokens=1_000_000, cached_tokens=400_000, cache_write_tokens=100_000, output_tokens=10
    )
    expected = Decimal("1.5") + Decimal("0.12") + Decimal("0.4") + Decimal("0.00015")
    assert cost_usd(usage, price) == expected


@pytest.mark.parametrize(
    ("model_id", "found"),
    [
        ("anthropic:claude-x", True),
        ("http://127.0.0.1:1/v1#claude-x", True),
        ("openai:gpt-9", False),
        ("openai:gpt-9-special", True),
    ],
)
def test_prices_are_looked_up_by_model_name_or_full_string(model_id, found):
    table = prices_parse(
        {"claude-x": {"input": 1, "output": 2}, "openai:gpt-9-special": {"input": 1, "output": 1}}
    )
    assert (price_lookup(model_id, table) is not None) is found


def test_json_entries_add_to_and_replace_the_built_in_table():
    prices = prices_parse(
        {"a": {"input": 1, "output": 2}, "b": {"input": 1, "output": 1}},
        extra_json='{"b": {"input": 5, "output": 6, "cached_input": 0.5}}',
    )
    assert prices["a"] == Price(input=Decimal(1), output=Decimal(2))
    assert prices["b"] == Price(input=Decimal(5), output=Decimal(6), cached_input=Decimal("0.5"))


@pytest.mark.parametrize(
    ("extra_json", "message"),
    [
        ("{not json", "Expecting property name"),
        ("[1, 2]", "JSON object"),
        ('{"m": {"input": 1}}', "at least input and output"),
        ('{"m": {"input": "cheap", "output": 1}}', "must be numbers"),
        ('{"m": {"input": -1, "output": 1}}', "zero or more"),
        ('{"m": {"input": 1, "output": 1, "outptu": 2}}', "unknown price field"),
    ],
)
def test_a_bad_price_table_says_what_is_wrong(extra_json, message):
    with pytest.raises(ValueError, match=message):
        prices_parse({}, extra_json=extra_json)
