"""The tool index and the tool pages."""

import pytest
from django.db import connection

from testkit.pages import grow_catalog, text_of
from verdicts.catalog.models import Tool
from verdicts.catalog.selectors import tool_list_published
from verdicts.pages.read_models.tools import ALTERNATIVES_SHOWN
from verdicts.similar.services import tool_embeddings_refresh

pytestmark = pytest.mark.django_db

# Tool, plans and their history, reviews, community votes, comparisons, the tool's fact
# sources, changes and registry checks, and the alternatives: the similarity index's version
# stamp and the alternatives' tools (11); the steering note and the held note (both
# verdicts/panel/steering), the verdict timeline and the compare picker's tools.
TOOL_PAGE_QUERIES = 15
# Once per process after the embeddings, tools or plans change: the index's vectors and plans.
INDEX_REBUILD_QUERIES = 2


def test_tool_page_shows_the_full_panel(client, starter, django_assert_num_queries):
    tool_embeddings_refresh()
    with django_assert_num_queries(TOOL_PAGE_QUERIES + INDEX_REBUILD_QUERIES):
        response = client.get("/tools/smolvlm-3b/")
    assert response.status_code == 200
    text = text_of(response)
    assert "SmolVLM-3B" in text and "Hugging Face" in text and "Open weights" in text
    assert "Panel ship 75% 3 of 4 ship" in text
    assert "Community — no votes yet" in text
    # Each review is labelled once in the panel and once in its verdict timeline.
    panel, _, timeline = text.partition("Verdict timeline")
    assert panel.count("Written by Verdicts editorial") == 4
    assert timeline.count("Written by Verdicts editorial") == 4
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text
    with django_assert_num_queries(TOOL_PAGE_QUERIES):
        client.get("/tools/smolvlm-3b/")
    # The grown catalog's tools share SmolVLM's category: they join its alternatives.
    grow_catalog(3)
    Tool.objects.filter(slug__startswith="tool-").update(category=smolvlm().category)
    tool_embeddings_refresh()
    with django_assert_num_queries(TOOL_PAGE_QUERIES + INDEX_REBUILD_QUERIES):
        client.get("/tools/smolvlm-3b/")
    with django_assert_num_queries(TOOL_PAGE_QUERIES):
        response = client.get("/tools/smolvlm-3b/")
    alternatives = response.context["page"].alternatives
    assert len(alternatives) == ALTERNATIVES_SHOWN
    assert sum(a.tool.slug.startswith("tool-") for a in alternatives) == ALTERNATIVES_SHOWN - 1


def smolvlm() -> Tool:
    return Tool.objects.get(slug="smolvlm-3b")


def test_tool_page_lists_alternatives_with_why_same_category_first(client, starter):
    tool_embeddings_refresh()
    response = client.get("/tools/smolvlm-3b/")
    text = text_of(response)
    section = text.split("Alternatives", 1)[1]
    # Claude 4 Sonnet shares the starter's Developer Tools category with SmolVLM.
    assert section.startswith(" Claude 4 Sonnet Developer Tools")
    assert "same category, both take image input" in section
    assert "both open weights" in section
    claude = Tool.objects.get(slug="claude-4-sonnet")
    assert f'<a href="{claude.get_absolute_url()}">Claude 4 Sonnet</a>' in response.content.decode()


def test_a_tool_not_yet_embedded_shows_no_alternatives(client, starter):
    tool_embeddings_refresh(
        tool_ids=list(Tool.objects.exclude(slug="cursor").values_list("pk", flat=True))
    )
    assert "Alternatives" in text_of(client.get("/tools/smolvlm-3b/"))
    response = client.get("/tools/cursor/")
    assert response.status_code == 200
    assert "Alternatives" not in text_of(response)


def test_tool_index_lists_published_tools_with_category_tagline_and_entry_tier(client, starter):
    Tool.objects.filter(slug="cursor").update(status=Tool.Status.DRAFT)
    response = client.get("/tools/")
    assert response.status_code == 200
    text = text_of(response)
    smol = Tool.objects.get(slug="smolvlm-3b")
    assert f"SmolVLM-3B {smol.tagline} Developer Tools Hugging Face Free" in text
    assert f'href="{smol.get_absolute_url()}"' in response.content.decode()
    assert f'href="{smol.category.get_absolute_url()}"' in response.content.decode()
    assert "Cursor" not in text
    assert response.context["page"].count == Tool.objects.published().count() == 25
    assert "Tools (25)" in text


def test_tool_index_costs_a_fixed_number_of_queries_and_pages(
    client, starter, django_assert_num_queries
):
    # Categories, tools, plans, panel reviews, votes; the whole catalog's facet counts (two).
    with django_assert_num_queries(7):
        client.get("/tools/")
    grow_catalog(20)
    with django_assert_num_queries(7):
        response = client.get("/tools/")
    assert len(response.context["page"].rows) == 50
    assert "Page 1 of 2" in text_of(response)
    with django_assert_num_queries(7):
        response = client.get("/tools/", {"page": 2})
    assert len(response.context["page"].rows) == 16
    assert 'rel="prev"' in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_tool_index_reads_published_tools_in_name_order_from_an_index(starter):
    plan = tool_list_published()[:50].explain().upper()
    assert "TEMP B-TREE" not in plan


def test_tool_index_is_described_like_other_pages(client, starter, settings):
    settings.SITE_URL = "https://verdicts.example"
    html = client.get("/tools/").content.decode()
    assert "<title>All AI tools" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="https://verdicts.example/tools/">' in html
    assert "<h1>" in html


def test_empty_tool_index_says_so(client, db):
    assert "No tools are published yet" in text_of(client.get("/tools/"))
