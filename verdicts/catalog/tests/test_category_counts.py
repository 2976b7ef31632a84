"""Each category's count of published tools, kept by the database on every kind of write."""

import pytest

from verdicts.catalog.models import Category, Tool
from verdicts.catalog.selectors import category_list_with_counts, category_tool_count
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory

pytestmark = pytest.mark.django_db


def counted(category: Category) -> int:
    return category_tool_count(category=category)


def recounted(category: Category) -> int:
    return Tool.objects.published().filter(category=category).count()


def test_counts_follow_saves_updates_bulk_inserts_and_deletes():
    writing, coding = CategoryFactory(name="Writing"), CategoryFactory(name="Coding")
    assert counted(writing) == 0
    draft = ToolFactory(category=writing, status=Tool.Status.DRAFT)
    ToolFactory.create_batch(3, category=writing)
    assert counted(writing) == recounted(writing) == 3
    draft.status = Tool.Status.PUBLISHED
    draft.save()
    assert counted(writing) == 4
    draft.category = coding
    draft.save()
    assert (counted(writing), counted(coding)) == (3, 1)
    Tool.objects.filter(category=writing).update(status=Tool.Status.DRAFT)
    assert counted(writing) == 0
    Tool.objects.bulk_create(
        Tool(
            slug=f"bulk-{n}",
            name=f"Bulk {n}",
            category=coding,
            vendor=draft.vendor,
            tagline="t",
            description="d",
            status=Tool.Status.PUBLISHED,
        )
        for n in range(5)
    )
    assert counted(coding) == recounted(coding) == 6
    Tool.objects.filter(slug__startswith="bulk-").delete()
    assert counted(coding) == 1
    assert category_tool_count() == Tool.objects.published().count() == 1


def test_category_list_shows_only_categories_with_published_tools(starter):
    CategoryFactory(name="Empty")
    listed = {category.slug: category.tool_count for category in category_list_with_counts()}
    expected = {
        category.slug: recounted(category)
        for category in Category.objects.all()
        if recounted(category)
    }
    assert listed == expected and "empty" not in listed
