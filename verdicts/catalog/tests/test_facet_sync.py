"""Tool.save keeps the facet rows in step in a fixed number of queries."""

import pytest

from verdicts.catalog.models import Tool, ToolFacet
from verdicts.catalog.services import tool_facets_fill
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory

pytestmark = pytest.mark.django_db


def facets(tool: Tool) -> set[tuple[str, str]]:
    return set(ToolFacet.objects.filter(tool=tool).values_list("facet", "value"))


def test_a_save_rewrites_changed_facets_in_one_delete_and_one_insert(
    django_assert_num_queries,
):
    tool = ToolFactory(
        category=CategoryFactory(slug="speech"),
        licence="Apache-2.0",
        facts={"modalities": "Text, images and video", "deployment": "cloud API"},
    )
    assert len(facets(tool)) == 6
    tool = Tool.objects.select_related("category").get(pk=tool.pk)
    tool.licence = "Proprietary"
    tool.facts = {"modalities": "Text"}

    # SAVEPOINT, UPDATE, DELETE, INSERT, RELEASE: the loaded category costs no query.
    with django_assert_num_queries(5):
        tool.save()

    assert facets(tool) == {
        ("licence", "proprietary"),
        ("modality", "text"),
        ("deployment", "hosted"),
    }


def test_a_tool_without_its_category_loaded_reads_only_the_slug(django_assert_num_queries):
    tool = Tool.objects.get(pk=ToolFactory(category=CategoryFactory(slug="speech")).pk)
    tool.open_weights = True

    with django_assert_num_queries(6):
        tool.save()

    assert facets(tool) == {("modality", "audio"), ("deployment", "self-hosted")}


def test_a_bulk_fill_reads_no_category_twice(django_assert_num_queries):
    category = CategoryFactory(slug="vision-language")
    tools = [ToolFactory(category=category) for _ in range(4)]
    ToolFacet.objects.all().delete()

    with django_assert_num_queries(1):
        written = tool_facets_fill(tools=tools)

    assert written == 8
    assert all(facets(tool) == {("modality", "image"), ("modality", "text")} for tool in tools)
