"""The category index and the category pages."""

import pytest

from testkit.pages import text_of
from verdicts.catalog.models import Category, Tool
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory

pytestmark = pytest.mark.django_db


def test_category_page_lists_its_published_tools(client, starter, django_assert_num_queries):
    with django_assert_num_queries(6):
        response = client.get("/categories/developer-tools/")
    text = text_of(response)
    assert "Claude 4 Sonnet" in text and "SmolVLM-3B" in text
    assert "75% (3 of 4)" in text
    for _ in range(60):
        ToolFactory(category=response.context["page"].category)
    with django_assert_num_queries(6):
        response = client.get("/categories/developer-tools/")
    assert len(response.context["page"].rows) == 50
    assert "Page 1 of 2" in text_of(response)
    with django_assert_num_queries(6):
        response = client.get("/categories/developer-tools/", {"page": 2})
    assert len(response.context["page"].rows) == 12


def test_category_without_published_tools_is_not_found(client, starter):
    category = CategoryFactory()
    ToolFactory(category=category, status=Tool.Status.DRAFT)
    assert client.get(f"/categories/{category.slug}/").status_code == 404
    assert client.get("/categories/no-such-category/").status_code == 404


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


def test_category_index_is_described_like_other_pages(client, starter, settings):
    settings.SITE_URL = "https://verdicts.example"
    html = client.get("/categories/").content.decode()
    assert "<title>AI tool categories" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="https://verdicts.example/categories/">' in html
    assert "<h1>" in html


def test_empty_category_index_says_so(client, db):
    assert "No categories have published tools yet" in text_of(client.get("/categories/"))
