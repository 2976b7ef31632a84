"""GET /api/search: the search selector's items in order, bounded, and its input checked."""

import pytest

from verdicts.catalog.tests.factories import ToolFactory

pytestmark = pytest.mark.django_db


def test_search_names_the_tool_first_and_finds_its_comparisons(client, starter):
    body = client.get("/api/search", {"q": "Ollama vLLM"}).json()
    assert body["terms"] == ["ollama", "vllm"]
    assert body["comparisons"][0]["title"] == "Ollama vs vLLM"
    first = client.get("/api/search", {"q": "claude"}).json()["tools"][0]
    assert first["slug"] == "claude-code" and first["url"].endswith("/tools/claude-code/")
    assert first["plans"] and first["vendor"] == "Anthropic"


def test_limit_cuts_both_lists_and_is_bounded(client):
    for n in range(4):
        ToolFactory(name=f"Ibex {n}")
    body = client.get("/api/search", {"q": "ibex", "limit": 2}).json()
    assert [tool["name"] for tool in body["tools"]] == ["Ibex 0", "Ibex 1"]
    for limit in (0, 51, "many"):
        assert client.get("/api/search", {"q": "ibex", "limit": limit}).status_code == 422


def test_a_missing_or_overlong_query_is_refused_and_one_without_words_finds_nothing(client):
    ToolFactory(name="Claude")
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", {"q": "c" * 101}).status_code == 422
    body = client.get("/api/search", {"q": "\"*'():"}).json()
    assert body == {"terms": [], "tools": [], "comparisons": []}
