"""No reader page or API list reads the whole tool table: every query each one issues is
EXPLAINed, and a full scan of catalog_tool fails the test.

SQLite (EXPLAIN QUERY PLAN): a SCAN of the tool table or any of its aliases, or a search on
the status alone (every published tool) where no LIMIT stops it or a temporary B-tree sorts
what it found. PostgreSQL (EXPLAIN, enable_seqscan off so that only a missing index leaves a
Seq Scan): a Seq Scan on catalog_tool. Search has its own index and its own tests.

Pages are requested as on a live site, with the page cache on but bypassed by a voter cookie:
a figure that must count the whole catalog is kept (verdicts/common/content_memo.py) and read
by the first request, and the request checked is the one after it.
"""

import json
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from verdicts.catalog.models import Tool
from verdicts.core.generate import catalog_generate

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/tools/",
    "/tools/?page=2",
    "/tools/?sort=panel",
    "/tools/?sort=community",
    "/tools/claude-4-sonnet/",
    "/categories/",
    "/categories/developer-tools/",
    "/categories/developer-tools/?page=2",
    "/compare/",
    "/compare/?page=2",
    "/compare/claude-4-sonnet-vs-smolvlm-3b/",
    "/panel/",
    "/panel/operator/",
    "/rankings/",
    "/rankings/developer-tools/",
    "/feeds/tools.rss",
    "/feeds/tools.atom",
    "/feeds/comparisons.rss",
    "/feeds/comparisons.atom",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-tools.xml",
    "/sitemap-comparisons.xml",
    "/sitemap-categories.xml",
    "/api/tools",
    "/api/tools?offset=100",
    "/api/tools?after=m",
    "/api/tools/claude-4-sonnet",
    "/api/comparisons",
    "/api/comparisons?offset=20",
    "/api/comparisons?after=claude-4-sonnet-vs-smolvlm-3b",
    "/api/comparisons/claude-4-sonnet-vs-smolvlm-3b",
    "/api/votes/rankings",
    "/api/votes/rankings/developer-tools",
]
TOOL_TABLE = Tool._meta.db_table


def tool_aliases(sql: str) -> set[str]:
    """The names the tool table goes by in one query: its own and each join alias."""
    aliases = {TOOL_TABLE}
    aliases |= set(re.findall(rf'"{TOOL_TABLE}" "?(\w+)"?', sql))
    aliases |= set(re.findall(rf"{TOOL_TABLE} (?:AS )?(?!ON\b|WHERE\b)([A-Za-z]\w*)", sql))
    return aliases


def sqlite_full_reads(sql: str) -> list[str]:
    """The plan lines of one query that read the whole tool table (or all its published rows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [row[-1] for row in cursor.fetchall()]
    aliases = "|".join(re.escape(alias) for alias in tool_aliases(sql))
    unbounded = " LIMIT " not in sql.upper() or any("TEMP B-TREE" in line for line in plan)
    bad = []
    for line in plan:
        scan = re.match(rf"SCAN ({aliases})\b", line)
        every_published = re.match(rf"SEARCH ({aliases}) USING .*\(status=\?\)$", line)
        if scan or (unbounded and every_published):
            bad.append(line)
    return bad


def postgresql_full_reads(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    bad = []

    def walk(node: dict) -> None:
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == TOOL_TABLE:
            bad.append(f"Seq Scan on {TOOL_TABLE} {node.get('Filter', '')}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return bad


def full_reads(sql: str) -> list[str]:
    if TOOL_TABLE not in sql or not sql.lstrip().upper().startswith("SELECT"):
        return []
    if connection.vendor == "sqlite":
        return sqlite_full_reads(sql)
    return postgresql_full_reads(sql)


@pytest.fixture
def catalog(starter):
    """The starter catalog and a few hundred generated tools, comparisons and votes."""
    catalog_generate(tools=300, comparisons=60, votes=3000, seed=7, samples=5)


def test_no_page_or_api_list_reads_the_whole_tool_table(client, catalog, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()  # no figure kept by an earlier test
    client.cookies["verdicts_voter"] = "unsigned"  # renders every page afresh
    failures = []
    for url in PAGES:
        client.get(url)  # keeps the whole-catalog figures the page shows
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        assert captured.captured_queries, url
        for query in captured.captured_queries:
            if bad := full_reads(query["sql"]):
                failures.append(f"{url}: {bad} in {query['sql'][-400:]}")
    assert not failures, "\n\n".join(failures)


def sql_of(queryset) -> str:
    """The SQL a queryset runs, as a page's capture records it."""
    with CaptureQueriesContext(connection) as captured:
        list(queryset)
    return captured.captured_queries[-1]["sql"]


def test_the_check_catches_a_filter_no_index_serves(catalog):
    assert full_reads(sql_of(Tool.objects.filter(tagline="Nothing indexes this")))
    if connection.vendor == "sqlite":
        per_category = Tool.objects.published().values("category").annotate(n=Count("pk"))
        assert full_reads(sql_of(per_category.order_by()))
    assert full_reads(sql_of(Tool.objects.published().order_by("name")[:50])) == []
