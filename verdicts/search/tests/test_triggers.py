"""The index follows every write to tools, comparisons, vendors and categories, whether it
comes through the ORM, a bulk update or raw SQL, with no call to search code."""

import pytest
from django.db import connection
from django.utils import timezone

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.search.models import ComparisonDocument, ToolDocument
from verdicts.search.selectors import search_query
from verdicts.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db


def tool_names(text: str) -> list[str]:
    return [tool.name for tool in search_query(text=text).tools]


def comparison_titles(text: str) -> list[str]:
    return [comparison.title for comparison in search_query(text=text).comparisons]


def test_a_saved_tool_is_found_and_a_renamed_one_by_its_new_name_only():
    tool = ToolFactory(name="Kestrel", tagline="Sees far")
    assert tool_names("kestrel") == ["Kestrel"]
    tool.name, tool.description = "Osprey", "Dives for fish."
    tool.save()
    assert tool_names("kestrel") == []
    assert tool_names("osprey fish") == ["Osprey"]


def test_a_bulk_update_and_raw_sql_reach_the_index():
    ToolFactory.create_batch(3, tagline="Plain")
    Tool.objects.update(tagline="Speaks Esperanto")
    assert len(tool_names("esperanto")) == 3
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_tool SET description = %s", ["Knows Klingon too."])
    assert len(tool_names("esperanto klingon")) == 3
    assert tool_names("plain") == []


def test_publishing_shows_a_tool_at_once_and_unpublishing_hides_it():
    tool = ToolFactory(name="Heron", status=Tool.Status.DRAFT)
    assert tool_names("heron") == []
    Tool.objects.filter(pk=tool.pk).update(status=Tool.Status.PUBLISHED)
    assert tool_names("heron") == ["Heron"]
    Tool.objects.filter(pk=tool.pk).update(status=Tool.Status.DRAFT)
    assert tool_names("heron") == []


def test_a_comparison_is_shown_only_while_both_its_tools_are_published():
    a, b = ToolFactory(name="Ruff"), ToolFactory(name="Dunlin")
    ComparisonFactory(tool_a=a, tool_b=b, title="Two sandpipers")
    assert comparison_titles("sandpipers") == ["Two sandpipers"]
    with connection.cursor() as cursor:  # raw SQL too: the trigger, not the ORM, follows it
        cursor.execute("UPDATE catalog_tool SET status = 'draft' WHERE id = %s", [b.pk])
    assert comparison_titles("sandpipers") == [] and tool_names("dunlin") == []
    Tool.objects.filter(pk=b.pk).update(status=Tool.Status.PUBLISHED)
    assert comparison_titles("sandpipers") == ["Two sandpipers"]


def test_a_deleted_tool_leaves_the_index_with_its_comparisons():
    tool, other = ToolFactory(name="Bittern"), ToolFactory(name="Egret")
    ComparisonFactory(tool_a=tool, tool_b=other)
    assert ToolDocument.objects.filter(pk=tool.pk).exists()
    tool.delete()
    assert not ToolDocument.objects.filter(pk=tool.pk).exists()
    assert ComparisonDocument.objects.count() == 0
    assert tool_names("bittern") == [] and comparison_titles("egret") == []


def test_renaming_a_vendor_or_category_reindexes_its_tools_and_their_comparisons():
    a, b = ToolFactory(name="Plover"), ToolFactory(name="Curlew")
    ComparisonFactory(tool_a=a, tool_b=b, title="Shore birds")
    a.vendor.name = "Wader Works"
    a.vendor.save()
    b.category.name = "Coastal Tools"
    b.category.save()
    assert tool_names("wader") == ["Plover"] and tool_names("coastal") == ["Curlew"]
    assert comparison_titles("wader coastal") == ["Shore birds"]


def test_a_tool_renamed_renames_it_inside_its_comparisons():
    a, b = ToolFactory(name="Avocet"), ToolFactory(name="Stilt")
    ComparisonFactory(tool_a=a, tool_b=b, title="Long legs")
    Tool.objects.filter(pk=a.pk).update(name="Godwit", tagline="Probes the mud")
    assert comparison_titles("godwit mud") == ["Long legs"]
    assert comparison_titles("avocet") == []


def test_a_comparison_follows_its_title_its_publication_and_its_deletion():
    comparison = ComparisonFactory(title="First title", published_at=None)
    assert comparison_titles("first") == []
    Comparison.objects.filter(pk=comparison.pk).update(published_at=timezone.now())
    assert comparison_titles("first") == ["First title"]
    Comparison.objects.filter(pk=comparison.pk).update(title="Second title")
    assert comparison_titles("first") == [] and comparison_titles("second") == ["Second title"]
    Comparison.objects.filter(pk=comparison.pk).delete()
    assert ComparisonDocument.objects.count() == 0


def test_rebuild_restores_an_index_emptied_behind_its_back():
    ComparisonFactory(tool_a=ToolFactory(name="Sanderling"), tool_b=ToolFactory(name="Knot"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ToolDocument._meta.db_table}")
        cursor.execute(f"DELETE FROM {ComparisonDocument._meta.db_table}")
    assert tool_names("sanderling") == []
    rebuilt = search_index_rebuild()
    assert (rebuilt.tools, rebuilt.comparisons) == (2, 1)
    assert tool_names("sanderling") == ["Sanderling"]
    assert comparison_titles("knot") == ["Sanderling vs Knot"]
