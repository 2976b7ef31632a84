"""An editor's tool is matched on its URL keys, kept on its row, through their index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.identity import tool_match
from verdicts.ingest.importers import Sourced, ToolFacts

pytestmark = pytest.mark.django_db


def facts(**urls: str) -> ToolFacts:
    given = {
        fact: Sourced(url, "https://example.org/feed", timezone.now()) for fact, url in urls.items()
    }
    return ToolFacts(
        target="feed",
        name=Sourced("Some Other Name", "https://example.org/feed", timezone.now()),
        **given,
    )


def test_a_tool_is_found_by_its_homepage_or_repository_spelled_another_way():
    by_home = ToolFactory(homepage="https://www.Acme.example/coder/")
    by_repo = ToolFactory(repository_url="https://github.com/acme/agent")
    ToolFactory(homepage="https://acme.example/coder-pro")

    assert tool_match(facts(homepage="http://acme.example/coder")) == by_home
    assert tool_match(facts(repository_url="https://github.com/Acme/agent.git")) == by_repo
    assert tool_match(facts(homepage="https://acme.example/")) is None


def test_the_keys_follow_a_change_saved_with_update_fields():
    tool = ToolFactory(homepage="https://old.example/")
    tool.homepage = "https://new.example/app"
    tool.save(update_fields=["homepage"])

    assert Tool.objects.get(pk=tool.pk).homepage_key == "new.example/app"
    assert tool_match(facts(homepage="https://new.example/app/")) == tool
    assert tool_match(facts(homepage="https://old.example/")) is None


def test_the_match_reads_the_key_column_not_the_urls():
    ToolFactory(homepage="https://acme.example/coder")
    with CaptureQueriesContext(connection) as queries:
        tool_match(facts(homepage="https://acme.example/coder"))

    tool_reads = [q["sql"] for q in queries if 'FROM "catalog_tool"' in q["sql"]]
    assert tool_reads and all("homepage_key" in sql for sql in tool_reads)
    assert not any("LIKE" in q["sql"].upper() for q in queries)
