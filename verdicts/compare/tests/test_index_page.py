"""The /compare/ index page."""

import datetime

import pytest
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.compare.tests.test_pages import REFERENCE, grow_catalog, text_of

pytestmark = pytest.mark.django_db


def test_comparison_index_lists_published_comparisons_with_both_tools_and_date(client, starter):
    reference = Comparison.objects.get(slug="claude-4-sonnet-vs-smolvlm-3b")
    ComparisonFactory(published_at=None, title="Draft pair")
    Tool.objects.filter(slug="cursor").update(status=Tool.Status.DRAFT)
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert f'href="{REFERENCE}"' in html
    for tool in reference.tools:
        assert f'href="{tool.get_absolute_url()}"' in html
    assert (
        f"Claude 4 Sonnet vs SmolVLM-3B Claude 4 Sonnet and SmolVLM-3B · Developer Tools · "
        f"{reference.published_at:%-d %b %Y}" in text
    )
    assert "Draft pair" not in text and "Cursor" not in text
    published = Comparison.objects.published()
    assert response.context["page"].paginator.count == published.count() < 10


def test_comparison_index_is_newest_first_in_a_fixed_number_of_queries(
    client, starter, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get("/compare/")
    grow_catalog(45)
    newest = ComparisonFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    with django_assert_num_queries(2):
        response = client.get("/compare/")
    assert response.context["page"].object_list[0] == newest
    assert "Page 1 of 2" in text_of(response)
    with django_assert_num_queries(2):
        response = client.get("/compare/", {"page": 2})
    assert len(response.context["page"].object_list) == 10 + 45 + 1 - 50


def test_comparison_index_is_described_like_other_pages(client, starter, settings):
    settings.SITE_URL = "https://verdicts.example"
    html = client.get("/compare/").content.decode()
    assert "<title>AI tool comparisons" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="https://verdicts.example/compare/">' in html


def test_empty_comparison_index_says_how_to_load_comparisons(client, db):
    assert "verdicts init" in text_of(client.get("/compare/"))
