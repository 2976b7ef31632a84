"""The specifications grid in the API: a tool's rows, and a comparison's rows for both tools."""

import pytest

from testkit.ingest import READ_AT, fact_source_add
from verdicts.catalog.models import Tool
from verdicts.catalog.specs import ROWS

pytestmark = pytest.mark.django_db


def test_tool_detail_has_every_specification_with_its_source(client, starter):
    smol = Tool.objects.get(slug="smolvlm-3b")
    fact_source_add(smol, "parameters", "3B", source_url="https://hub.example/smolvlm")
    body = client.get("/api/tools/smolvlm-3b").json()
    specs = {row["key"]: row for row in body["specifications"]}
    assert list(specs) == list(ROWS)
    assert specs["parameters"]["value"] == "3B"
    assert specs["parameters"]["source_url"] == "https://hub.example/smolvlm"
    assert specs["parameters"]["at"].startswith(READ_AT.date().isoformat())
    assert specs["licence"]["value"] == "Apache-2.0"
    assert specs["licence"]["source"] == "Verdicts editors" and specs["licence"]["at"]
    assert specs["context_window"] == {
        "key": "context_window",
        "label": "Context window",
        "value": None,
        "source": "",
        "source_url": "",
        "at": None,
    }


def test_comparison_detail_lines_both_tools_up_row_by_row(client, starter):
    body = client.get("/api/comparisons/claude-4-sonnet-vs-smolvlm-3b").json()
    rows = {row["key"]: row for row in body["specifications"]}
    assert list(rows) == list(ROWS)
    assert rows["context_window"]["tool_a"]["value"] == "1M tokens"
    assert rows["context_window"]["tool_b"]["value"] is None
    assert rows["parameters"]["tool_a"]["value"] is None
    assert rows["parameters"]["tool_b"]["value"] == "3B"
    assert rows["open_weights"]["tool_b"]["value"] == "Yes"


def test_the_schema_documents_the_specifications(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "specifications" in schema["ToolDetailOut"]["properties"]
    assert "specifications" in schema["ComparisonDetailOut"]["properties"]
    assert set(schema["PairSpecOut"]["properties"]) == {"key", "label", "tool_a", "tool_b"}
