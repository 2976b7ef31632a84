"""The tool detail's alternatives in the API: nearest published tools, with score and why."""

import pytest

from verdicts.api.tests.test_tool_provenance import TOOL_DETAIL_QUERIES
from verdicts.catalog.models import Tool
from verdicts.similar.services import tool_embeddings_refresh

pytestmark = pytest.mark.django_db

# Once per process after the embeddings, tools or plans change: the index's vectors and plans.
INDEX_REBUILD_QUERIES = 2


def test_the_detail_lists_alternatives_same_category_first(client, starter):
    tool_embeddings_refresh()
    body = client.get("/api/tools/cursor").json()
    alternatives = body["alternatives"]
    assert len(alternatives) == 5
    assert alternatives[0] == {
        "slug": "github-copilot",
        "name": "GitHub Copilot",
        "score": alternatives[0]["score"],
        "reasons": ["same category", "both proprietary", "both freemium", "similar description"],
    }
    assert {a["slug"] for a in alternatives[:3]} == {"github-copilot", "claude-code", "aider"}
    assert all(0 < a["score"] <= 1 for a in alternatives)
    assert "cursor" not in [a["slug"] for a in alternatives]


def test_a_tool_not_yet_embedded_has_no_alternatives(client, starter):
    assert client.get("/api/tools/cursor").json()["alternatives"] == []


def test_alternatives_cost_a_fixed_number_of_queries(client, starter, django_assert_num_queries):
    tool_embeddings_refresh()
    with django_assert_num_queries(TOOL_DETAIL_QUERIES + INDEX_REBUILD_QUERIES):
        client.get("/api/tools/cursor")
    with django_assert_num_queries(TOOL_DETAIL_QUERIES):
        client.get("/api/tools/cursor")
    Tool.objects.filter(slug="claude-code").update(status=Tool.Status.DRAFT)
    with django_assert_num_queries(TOOL_DETAIL_QUERIES + INDEX_REBUILD_QUERIES):
        body = client.get("/api/tools/cursor").json()
    assert "claude-code" not in [a["slug"] for a in body["alternatives"]]


def test_openapi_declares_the_alternatives(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "alternatives" in schemas["ToolDetailOut"]["properties"]
    assert set(schemas["AlternativeOut"]["properties"]) == {"slug", "name", "score", "reasons"}
