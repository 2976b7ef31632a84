"""The tool page says where each fact comes from, what changed, what the registries said, and
where a source contradicts the editors."""

import re

import pytest

from testkit.ingest import READ_AT, SOURCE, fact_source_add, provenance_grow, registry_check_add
from testkit.pages import text_of
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.models import ToolFactChange
from verdicts.ingest.selectors import CHANGES_SHOWN
from verdicts.pages.tests.test_tools import TOOL_PAGE_QUERIES

pytestmark = pytest.mark.django_db

GITHUB_CHECK = "https://api.github.com/repos/acme/widget"


def page(client, tool: Tool):
    response = client.get(tool.get_absolute_url())
    assert response.status_code == 200
    return response


def prose_of(response) -> str:
    """The visible text, without the spaces tags leave before punctuation."""
    return re.sub(r" ([).,:;])", r"\1", text_of(response))


def test_an_unverified_tool_says_what_was_checked_and_when_near_its_name(client):
    tool = ToolFactory(name="Widget")
    registry_check_add(tool, checked_url=GITHUB_CHECK)
    registry_check_add(tool, registry="package index", artifact="pypi:widget", found=True)

    response = page(client, tool)
    text, html = prose_of(response), response.content.decode()

    start = html.index('<header class="page-head">')
    header = html[start : html.index("</header>", start)]
    assert "Unverified:" in header
    assert (
        "Unverified: GitHub has no repository acme/widget (checked 1 Dec 2026 at "
        f"{GITHUB_CHECK})" in text
    )
    assert f'<a href="{GITHUB_CHECK}" rel="noopener nofollow">{GITHUB_CHECK}</a>' in header
    assert "Verified: the package index has package widget (checked 1 Dec 2026)" in text


def test_a_tool_no_registry_was_asked_is_neither_verified_nor_unverified(client, starter):
    text = prose_of(page(client, Tool.objects.get(slug="smolvlm-3b")))
    assert "Unverified" not in text and "Verified:" not in text


def test_sources_list_each_fact_with_its_value_link_and_read_date(client):
    tool = ToolFactory()
    fact_source_add(tool, "package_name", "widget")
    fact_source_add(tool, "version", "1.4.0", source_url="file:///srv/imports/tools.json")

    response = page(client, tool)
    text, html = prose_of(response), response.content.decode()

    assert f"Sources Package widget · {SOURCE}, read 1 Dec 2026" in text
    assert "Version 1.4.0 · an imported file, read 1 Dec 2026" in text
    assert f'<a href="{SOURCE}" rel="noopener nofollow">' in html
    assert "/srv/imports" not in html
    assert '<section class="provenance-section" aria-labelledby="sources-title">' in html
    assert '<h2 id="sources-title">Sources</h2>' in html


def test_an_editorial_tool_says_its_facts_are_the_editors_and_when_they_were_updated(
    client, starter
):
    tool = Tool.objects.get(slug="smolvlm-3b")
    text = prose_of(page(client, tool))
    updated = f"{tool.updated_at:%-d %b %Y}"
    assert (
        "Sources Every fact on this page is editorial: written by the Verdicts editors, "
        f"last updated {updated}." in text
    )
    assert "Change history" not in text and "Conflicting facts" not in text


def test_a_contradicted_fact_shows_both_values_each_with_its_source(client):
    tool = ToolFactory(licence="Apache-2.0", facts={"parameters": "3B", "context_window": "128k"})
    fact_source_add(tool, "parameters", "7B")
    fact_source_add(tool, "licence", "apache 2.0")  # the same licence, written another way
    fact_source_add(tool, "context_window", "131072")  # 128k, counted exactly

    response = page(client, tool)
    text = prose_of(response)

    updated = f"{tool.updated_at:%-d %b %Y}"
    assert "1 conflicting fact" in text
    assert (
        f"Conflicting facts A source contradicts the editors on these facts; both values are "
        f"shown, each with its source. Parameters Verdicts editors 3B (updated {updated}) "
        f"{SOURCE} 7B (read 1 Dec 2026)" in text
    )
    assert 'href="#conflicts-title"' in response.content.decode()


def test_change_history_is_newest_first_and_counts_the_earlier_changes(client):
    tool = ToolFactory()
    provenance_grow(tool, facts=0, changes=CHANGES_SHOWN + 3, checks=0)
    ToolFactChange.objects.create(
        tool=tool, fact="licence", old_value="", new_value="MIT", source_url=SOURCE, read_at=READ_AT
    )

    text = prose_of(page(client, tool))

    history = text[text.index("Change history") :]
    assert history.startswith(
        f"Change history Version: 1.{CHANGES_SHOWN + 2} → 1.{CHANGES_SHOWN + 3} · {SOURCE}, "
        "2 Dec 2026"
    )
    assert history.count("Version:") == CHANGES_SHOWN
    assert "Licence: (none) → MIT" not in history  # the oldest, among the earlier ones
    assert "4 earlier changes not shown." in history


@pytest.mark.parametrize("size", [1, 50])
def test_the_page_costs_the_same_queries_for_1_or_50_sources_and_changes(
    client, starter, size, django_assert_num_queries
):
    tool = Tool.objects.get(slug="smolvlm-3b")
    provenance_grow(tool, facts=size, changes=size, checks=size)
    registry_check_add(tool)
    with django_assert_num_queries(TOOL_PAGE_QUERIES):
        text = prose_of(page(client, tool))
    assert text.count("read 1 Dec 2026") == size
    assert "Unverified: GitHub has no repository acme/widget" in text


def test_a_draft_tool_stays_private_whatever_its_sources(client):
    tool = ToolFactory(status=Tool.Status.DRAFT)
    provenance_grow(tool, facts=2, changes=2)
    assert client.get(tool.get_absolute_url()).status_code == 404
