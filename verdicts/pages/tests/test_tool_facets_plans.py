"""Every /tools/ filter reads an index: no query the page issues scans the tool table (the
check of verdicts/pages/tests/test_query_plans.py, applied to each facet), and on SQLite each
per-tool check (facet rows, plans, registry checks) reads that tool's rows by its key."""

import re
from itertools import pairwise

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verdicts.core.generate import catalog_generate
from verdicts.pages.tests.test_query_plans import full_reads

pytestmark = pytest.mark.django_db

# A to Z and newest first, alone and under every facet; the share sorts compute each matching
# tool's share and sort them (docs/badges.md), so they are checked under a narrow filter.
QUERIES = [
    "",
    "?sort=newest",
    "?category=developer-tools",
    "?category=developer-tools&sort=newest",
    "?licence=open-source",
    "?open_weights=yes",
    "?open_weights=no&sort=newest",
    "?tier=freemium",
    "?modality=image",
    "?modality=audio&sort=newest",
    "?deployment=on-device",
    "?verification=unchecked",
    "?verification=verified&sort=newest",
    "?licence=restricted&modality=text&deployment=self-hosted",
    "?page=3",
]


@pytest.fixture
def catalog(starter):
    catalog_generate(tools=300, comparisons=60, votes=3000, seed=7, samples=5)


def test_no_tool_index_query_reads_the_whole_tool_table(client, catalog, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.cookies["verdicts_voter"] = "unsigned"  # renders every page afresh
    failures = []
    for query in QUERIES:
        url = f"/tools/{query}"
        client.get(url)  # keeps the whole-catalog counts
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        for captured_query in captured.captured_queries:
            sql = captured_query["sql"]
            if bad := full_reads(sql) + unkeyed_subqueries(sql):
                failures.append(f"{url}: {bad} in {sql[-600:]}")
    assert not failures, "\n\n".join(failures)


def unkeyed_subqueries(sql: str) -> list[str]:
    """Plan lines of a correlated subquery that read more than the outer tool's own rows."""
    if connection.vendor != "sqlite" or not sql.lstrip().upper().startswith("SELECT"):
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [row[-1] for row in cursor.fetchall()]
    return [
        line
        for before, line in pairwise(plan)
        if before.startswith("CORRELATED") and not re.search(r"\((tool_id|rowid)=\?", line)
    ]
