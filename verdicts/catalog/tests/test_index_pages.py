"""The /tools/ and /categories/ index pages."""

import pytest
from django.db import connection

from verdicts.catalog.models import Category, Tool
from verdicts.catalog.selectors import tool_list_published
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.compare.tests.test_pages import grow_catalog, text_of

pytestmark = pytest.mark.django_db


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
    assert response.context["page"].paginator.count == Tool.objects.published().count() == 25


def test_tool_index_costs_a_fixed_number_of_queries_and_pages(
    client, starter, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get("/tools/")
    grow_catalog(20)
    with django_assert_num_queries(3):
        response = client.get("/tools/")
    assert len(response.context["page"].object_list) == 50
    assert "Page 1 of 2" in text_of(response)
    with django_assert_num_queries(3):
        response = client.get("/tools/", {"page": 2})
    assert len(response.context["page"].object_list) == 16
    assert 'rel="prev"' in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_tool_index_reads_published_tools_in_name_order_from_an_index(starter):
    plan = tool_list_published()[:50].explain().upper()
    assert "TEMP B-TREE" not in plan


def test_category_index_counts_published_tools_in_one_query(
    client, starter, django_assert_num_queries
):
    developer_tools = Category.objects.get(slug="developer-tools")
    ToolFactory(category=developer_tools, status=Tool.Status.DRAFT)
    ToolFactory(category=CategoryFactory(name="Only drafts"), status=Tool.Status.DRAFT)
    with django_assert_num_queries(2):
        response = client.get("/categories/")
    assert response.status_code == 200
    text = text_of(response)
    for slug, count in (("developer-tools", 2), ("coding-assistants", 4)):
        category = Category.objects.get(slug=slug)
        assert f"{category.name} {category.description} {count} tools" in text
    assert "Only drafts" not in text
    assert f'href="{developer_tools.get_absolute_url()}"' in response.content.decode()
    for _ in range(60):
        ToolFactory()
    with django_assert_num_queries(2):
        response = client.get("/categories/")
    assert len(response.context["page"].object_list) == 50
    with django_assert_num_queries(2):
        response = client.get("/categories/", {"page": 2})
    assert len(response.context["page"].object_list) == 8 + 60 - 50


@pytest.mark.parametrize(
    ("url", "title"),
    [("/tools/", "<title>All AI tools"), ("/categories/", "<title>AI tool categories")],
)
def test_index_pages_are_described_like_other_pages(client, starter, settings, url, title):
    settings.SITE_URL = "https://verdicts.example"
    html = client.get(url).content.decode()
    assert title in html
    assert '<meta name="description" content="' in html
    assert f'<link rel="canonical" href="https://verdicts.example{url}">' in html
    assert "<h1>" in html


def test_empty_catalog_index_pages_say_so(client, db):
    assert "No tools are published yet" in text_of(client.get("/tools/"))
    assert "No categories have published tools yet" in text_of(client.get("/categories/"))
