"""The specifications grid's keys and values: one row means one thing for every tool."""

import datetime
from dataclasses import dataclass

import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.specs import (
    CONTEXT_WINDOW,
    EDITORS,
    IMPORTED_FILE,
    LAUNCH_DATE,
    LICENCE,
    OPEN_WEIGHTS,
    PARAMETERS,
    ROWS,
    spec_key,
    spec_rows,
    spec_value,
    tool_specs,
)

UPDATED = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
READ = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Read:
    fact: str
    value: str
    source_url: str = "https://hub.example/acme/widget"
    read_at: datetime.datetime = READ


def tool(**fields) -> Tool:
    """An unsaved tool: the specs read only its fields."""
    return Tool(updated_at=UPDATED, **fields)


@pytest.mark.parametrize(
    ("key", "row"),
    [
        ("context", CONTEXT_WINDOW),
        ("context_window", CONTEXT_WINDOW),
        ("ctx", CONTEXT_WINDOW),
        ("contextWindow", CONTEXT_WINDOW),
        ("Context length", CONTEXT_WINDOW),
        ("params", PARAMETERS),
        ("parameters", PARAMETERS),
        ("license", LICENCE),
        ("release_date", LAUNCH_DATE),
        ("modality", "modalities"),
        ("runs_on", "deployment"),
        ("max_output", ""),
        ("languages", ""),
    ],
)
def test_keys_fold_onto_one_row(key, row):
    assert spec_key(key) == row


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("128k", "128K tokens"),
        ("128K tokens", "128K tokens"),
        ("128000", "128K tokens"),
        ("128,000 tokens", "128K tokens"),
        ("131072", "128K tokens"),
        ("32768 tokens", "32K tokens"),
        ("1M tokens", "1M tokens"),
        ("1,048,576", "1M tokens"),
        ("200000", "200K tokens"),
        # A second figure is the source's own wording: kept whole, never half-rewritten.
        ("128K tokens, 1M in beta", "128K tokens, 1M in beta"),
        ("up to 2M", "up to 2M"),
    ],
)
def test_context_windows_are_written_one_way(text, shown):
    assert spec_value(CONTEXT_WINDOW, text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("3B", "3B"),
        ("3b", "3B"),
        ("3,000,000,000", "3B"),
        ("3.07 billion parameters", "3.07B"),
        ("70B (dense)", "70B (dense)"),
        ("671B total, 37B active", "671B total, 37B active"),
    ],
)
def test_parameter_counts_are_written_one_way(text, shown):
    assert spec_value(PARAMETERS, text) == shown


def test_dates_and_yes_no_are_written_one_way():
    assert spec_value(LAUNCH_DATE, datetime.date(2024, 12, 6)) == "2024-12-06"
    assert spec_value(LAUNCH_DATE, "2024-12-06T10:00:00Z") == "2024-12-06"
    assert spec_value(LAUNCH_DATE, "Spring 2024") == "Spring 2024"
    assert spec_value(OPEN_WEIGHTS, True) == "Yes"
    assert spec_value(OPEN_WEIGHTS, "no") == "No"
    assert spec_value(LICENCE, "  Apache-2.0 ") == "Apache-2.0"
    assert spec_value(LICENCE, "") == ""


def test_every_row_is_present_and_unstated_facts_say_so():
    cells = tool_specs(tool=tool(facts={"tasks": "Captioning"}))
    assert list(cells) == list(ROWS)
    assert not cells[CONTEXT_WINDOW].stated and cells[CONTEXT_WINDOW].source == ""
    assert not cells[LICENCE].stated
    # The open-weights flag is the editors' field: always a yes or a no.
    assert cells[OPEN_WEIGHTS].value == "No" and cells[OPEN_WEIGHTS].source == EDITORS


def test_the_tools_own_value_is_credited_to_the_source_that_agrees():
    subject = tool(facts={"ctx": "128k"}, licence="Apache-2.0")
    cells = tool_specs(
        tool=subject,
        sources=[Read("context_length", "128000 tokens"), Read("licence", "MIT")],
    )
    assert cells[CONTEXT_WINDOW].value == "128K tokens"
    assert cells[CONTEXT_WINDOW].source_url == "https://hub.example/acme/widget"
    assert cells[CONTEXT_WINDOW].at == READ
    # The source disagrees: the tool's value stands, and it is the editors'.
    assert cells[LICENCE].value == "Apache-2.0"
    assert (cells[LICENCE].source, cells[LICENCE].at) == (EDITORS, UPDATED)


def test_a_sourced_value_fills_a_row_the_tool_leaves_empty():
    cells = tool_specs(
        tool=tool(), sources=[Read("release_date", "2025-02-01", source_url=""), Read("x", "y")]
    )
    assert cells[LAUNCH_DATE].value == "2025-02-01"
    assert cells[LAUNCH_DATE].source == IMPORTED_FILE and cells[LAUNCH_DATE].source_url == ""


def test_the_rows_own_key_wins_over_an_alias():
    cells = tool_specs(tool=tool(facts={"context": "8K", "context_window": "32K tokens"}))
    assert cells[CONTEXT_WINDOW].value == "32K tokens"


def test_rows_line_up_across_tools():
    one = tool_specs(tool=tool(facts={"context": "128K tokens"}))
    two = tool_specs(tool=tool(facts={"params": "3B"}))
    rows = spec_rows(tools=[one, two])
    assert [row.key for row in rows] == list(ROWS)
    context = rows[0]
    assert [cell.value for cell in context.cells] == ["128K tokens", ""]
    assert [cell.value for cell in rows[1].cells] == ["", "3B"]
