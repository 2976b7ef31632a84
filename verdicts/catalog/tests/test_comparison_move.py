"""Moving Comparison into the catalog keeps every stored comparison and the votes on it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0004_tool_status_name_index"), ("compare", "0001_initial"),
          ("votes", "0001_initial")]  # fmt: skip
AFTER = [("compare", "0002_comparison_moves_to_catalog")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_comparisons_and_votes():
    old = migrate(BEFORE)
    category = old.get_model("catalog", "Category").objects.create(slug="dev", name="Dev")
    vendor = old.get_model("catalog", "Vendor").objects.create(slug="v", name="V")
    tool = old.get_model("catalog", "Tool")
    a = tool.objects.create(slug="a", name="A", category=category, vendor=vendor, tagline="a")
    b = tool.objects.create(slug="b", name="B", category=category, vendor=vendor, tagline="b")
    comparison = old.get_model("compare", "Comparison").objects.create(
        tool_a=a, tool_b=b, slug="a-vs-b", title="A vs B"
    )
    old.get_model("votes", "PairVote").objects.create(
        comparison=comparison, voter_key="v1", pick="a"
    )
    ContentType.objects.filter(model="comparison").delete()
    ContentType.objects.create(app_label="compare", model="comparison")

    new = migrate(AFTER)
    moved = new.get_model("catalog", "Comparison").objects.get(slug="a-vs-b")
    assert (moved.pk, moved.tool_a_id, moved.tool_b_id) == (comparison.pk, a.pk, b.pk)
    assert new.get_model("votes", "PairVote").objects.get().comparison_id == moved.pk
    labels = set(ContentType.objects.filter(model="comparison").values_list("app_label", flat=True))
    assert labels == {"catalog"}
    ContentType.objects.clear_cache()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
