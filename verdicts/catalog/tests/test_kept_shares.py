"""Each tool's kept panel and community shares: the database keeps them through every write,
and the tool index's share sorts read them through an index."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.pages.read_models.facets import ToolQuery, tool_list_faceted
from verdicts.panel.models import Hold, Review
from verdicts.panel.tests.factories import PersonaFactory, ReviewFactory
from verdicts.votes.models import ToolVote, ToolVoteTally, VoteStatus

pytestmark = pytest.mark.django_db(transaction=False)
KEPT = importlib.import_module("verdicts.catalog.migrations.0011_tool_kept_shares")
COMMUNITY = importlib.import_module("verdicts.votes.migrations.0007_tool_kept_community_share")


def kept(tool) -> tuple[float, int, float, int]:
    row = Tool.objects.values_list(
        "panel_share", "panel_count", "community_share", "community_count"
    ).get(pk=tool.pk)
    return tuple(row)


def test_a_new_tool_has_nothing_counted_and_sorts_last():
    assert kept(ToolFactory()) == (-1.0, 0, -1.0, 0)


def test_reviews_holds_supersessions_and_personas_move_the_panel_share():
    tool = ToolFactory()
    first, second, third = PersonaFactory(), PersonaFactory(), PersonaFactory()
    ReviewFactory(tool=tool, persona=first, verdict="ship")
    skip = ReviewFactory(tool=tool, persona=second, verdict="skip")
    held = ReviewFactory(tool=tool, persona=third, verdict="ship", hold=Hold.PENDING)
    assert kept(tool)[:2] == (0.5, 2)
    Review.objects.filter(pk=held.pk).update(hold=Hold.ACCEPTED)  # no signal, no save
    assert kept(tool)[:2] == (pytest.approx(2 / 3), 3)
    skip.is_current = False
    skip.save()
    assert kept(tool)[:2] == (1.0, 2)
    first.is_active = False
    first.save()
    assert kept(tool)[:2] == (1.0, 1)
    Review.objects.filter(tool=tool).delete()
    assert kept(tool)[:2] == (-1.0, 0)


def test_counted_votes_move_the_community_share():
    tool, other = ToolFactory(), ToolFactory()
    ToolVote.objects.bulk_create(
        ToolVote(tool=tool, voter_key=f"v{i}", choice="ship" if i < 3 else "skip") for i in range(4)
    )
    assert kept(tool)[2:] == (0.75, 4)
    ToolVote.objects.filter(voter_key="v0").update(status=VoteStatus.VOIDED)
    assert kept(tool)[2:] == (pytest.approx(2 / 3), 3)
    ToolVote.objects.filter(voter_key="v1").update(tool=other)
    assert (kept(tool)[2:], kept(other)[2:]) == ((0.5, 2), (1.0, 1))
    ToolVoteTally.objects.filter(tool=other).delete()
    assert kept(other)[2:] == (-1.0, 0)


def test_a_save_from_a_stale_form_cannot_write_old_shares_back():
    tool = ToolFactory()
    stale = Tool.objects.get(pk=tool.pk)
    ReviewFactory(tool=tool, verdict="ship")
    stale.name = "Renamed"
    stale.save()
    assert kept(tool)[:2] == (1.0, 1)


@pytest.mark.parametrize("sort", ["panel", "community"])
def test_the_share_sorts_read_their_index_in_order(sort):
    ToolFactory(status=Tool.Status.PUBLISHED)
    tools = tool_list_faceted(query=ToolQuery(filters={}, sort=sort), categories={})[:50]
    sql, params = tools.query.sql_with_params()
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        if not sqlite:
            cursor.execute("SET enable_seqscan TO off")
        cursor.execute(f"{'EXPLAIN QUERY PLAN' if sqlite else 'EXPLAIN'} {sql}", params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert f"tool_{sort}_share_idx" in plan, plan
    # No sort step: the index gives the order.
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_shares_and_its_reverse_drops_them():
    tool = ToolFactory()
    ReviewFactory(tool=tool, verdict="skip")
    executor = MigrationExecutor(connection)
    executor.migrate([("catalog", "0010_comparison_bottom_line_tool_logo")])
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(
            cursor, "catalog_tool"
        )}  # fmt: skip
    assert "panel_share" not in columns
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert kept(tool)[:2] == (0.0, 1)


def test_every_trigger_is_in_place():
    """A later migration that rebuilds catalog_tool on SQLite drops its triggers."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps a table's triggers when it alters the table")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        existing = {name for (name,) in cursor.fetchall()}
    statements = [*KEPT.SQLITE, *COMMUNITY.SQLITE]
    wanted = {s.split()[2] for s in statements if s.startswith("CREATE TRIGGER")}
    assert wanted <= existing
