"""Whole-catalog figures kept across requests: right at once, and again after a change."""

import pytest
from django.core.cache import caches

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ComparisonFactory

pytestmark = pytest.mark.django_db


def test_the_published_comparison_count_follows_the_catalog(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.cookies["verdicts_voter"] = "unsigned"  # renders afresh, as for any reader
    with django_capture_on_commit_callbacks(execute=True):
        kept = ComparisonFactory()
        ComparisonFactory(published_at=None)
    assert client.get("/api/comparisons").json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        ComparisonFactory()
    assert client.get("/api/comparisons").json()["count"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        kept.tool_a.status = Tool.Status.DRAFT
        kept.tool_a.save()
    assert client.get("/api/comparisons").json()["count"] == 1
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-comparisons.xml" in index
