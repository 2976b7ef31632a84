"""The tool detail in the API: every fact's source and read date, the change history, the
registries' answers, the verification state and the conflicts, documented in OpenAPI."""

import pytest

from testkit.ingest import READ_AT, SOURCE, fact_source_add, provenance_grow, registry_check_add
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.selectors import CHANGES_SHOWN

pytestmark = pytest.mark.django_db

# Tool, plans, plan prices, reviews, community votes, fact sources, changes, registry checks,
# and the alternatives: the similarity index's stamp and the tool's embedding (none here).
# And the verdict timeline.
TOOL_DETAIL_QUERIES = 11
READ = READ_AT.isoformat().replace("+00:00", "Z")
GITHUB_CHECK = "https://api.github.com/repos/acme/widget"
PYPI_CHECK = "https://pypi.org/pypi/widget/json"


def detail(client, tool: Tool) -> dict:
    response = client.get(f"/api/tools/{tool.slug}")
    assert response.status_code == 200
    return response.json()


def test_an_editorial_tool_is_unchecked_with_no_sources(client, starter):
    tool = Tool.objects.get(slug="smolvlm-3b")
    body = detail(client, tool)
    assert body["verified"] == "unchecked"
    assert body["sources"] == body["changes"] == body["conflicts"] == body["registry_checks"] == []
    assert body["change_count"] == 0
    assert body["editorial_updated_at"].startswith(tool.updated_at.date().isoformat())


def test_sources_conflicts_and_an_unverified_check_are_returned(client):
    tool = ToolFactory(licence="MIT", facts={"parameters": "3B"})
    fact_source_add(tool, "parameters", "7B")
    fact_source_add(tool, "licence", "mit")
    registry_check_add(tool, checked_url=GITHUB_CHECK)
    registry_check_add(
        tool, registry="package index", artifact="pypi:widget", checked_url=PYPI_CHECK, found=True
    )

    body = detail(client, tool)

    assert body["verified"] == "unverified"
    assert body["registry_checks"] == [
        {
            "registry": "GitHub",
            "artifact": "acme/widget",
            "found": False,
            "summary": "GitHub has no repository acme/widget",
            "checked_url": GITHUB_CHECK,
            "checked_at": READ,
        },
        {
            "registry": "package index",
            "artifact": "widget",
            "found": True,
            "summary": "the package index has package widget",
            "checked_url": PYPI_CHECK,
            "checked_at": READ,
        },
    ]
    assert body["sources"] == [
        {"fact": f, "label": label, "value": v, "source_url": SOURCE, "read_at": READ}
        for f, label, v in [("licence", "Licence", "mit"), ("parameters", "Parameters", "7B")]
    ]
    [conflict] = body["conflicts"]
    assert conflict["fact"] == "parameters" and conflict["label"] == "Parameters"
    assert conflict["editorial"]["value"] == "3B"
    assert conflict["editorial"]["source"] == "Verdicts editors"
    assert conflict["editorial"]["source_url"] == ""
    assert conflict["sourced"] == {
        "value": "7B",
        "source": SOURCE,
        "source_url": SOURCE,
        "at": READ,
    }


def test_only_the_latest_changes_come_with_the_count_of_all(client):
    tool = ToolFactory()
    provenance_grow(tool, facts=0, changes=CHANGES_SHOWN + 1, checks=1)
    body = detail(client, tool)
    assert body["verified"] == "verified" and body["change_count"] == CHANGES_SHOWN + 1
    assert len(body["changes"]) == CHANGES_SHOWN
    assert body["changes"][0] == {
        "fact": "version",
        "label": "Version",
        "old_value": f"1.{CHANGES_SHOWN}",
        "new_value": f"1.{CHANGES_SHOWN + 1}",
        "source_url": SOURCE,
        "read_at": body["changes"][0]["read_at"],
    }
    assert body["changes"][0]["read_at"] > body["changes"][1]["read_at"]


@pytest.mark.parametrize("size", [1, 50])
def test_the_detail_costs_the_same_queries_for_1_or_50_sources_and_changes(
    client, starter, size, django_assert_num_queries
):
    tool = Tool.objects.get(slug="smolvlm-3b")
    provenance_grow(tool, facts=size, changes=size, checks=size)
    with django_assert_num_queries(TOOL_DETAIL_QUERIES):
        body = detail(client, tool)
    assert len(body["sources"]) == len(body["registry_checks"]) == size


def test_openapi_declares_the_provenance_fields(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    detail_fields = schemas["ToolDetailOut"]["properties"]
    for name in ("sources", "changes", "change_count", "registry_checks", "verified", "conflicts"):
        assert name in detail_fields
    assert detail_fields["verified"]["enum"] == ["verified", "unverified", "unchecked"]
    assert set(schemas["FactConflictOut"]["properties"]) == {
        "fact",
        "label",
        "editorial",
        "sourced",
    }
    assert "read_at" in schemas["FactSourceOut"]["properties"]
    assert "checked_url" in schemas["RegistryCheckOut"]["properties"]
