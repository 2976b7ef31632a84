"""Scale: every reader page and API list on the starter catalog, then on 100,000 more tools.

Builds the starter catalog on a scratch database, measures each page (its query count and a
warm request's time, the median of a few, through Django's full request stack), then runs
`verdicts catalog generate` (100,000 tools, 10,000 comparisons, 1 million votes) in the same
database and measures again. Prints both with their ratio; the goal is every time ratio <= 2.0
with the same query count. Runs on SQLite, then on PostgreSQL when 127.0.0.1:5432 answers (a
scratch database of its own, dropped after). Search is measured elsewhere (its own index).

Run: .venv/bin/python bench/scale.py [--tools 100000] [--database sqlite|postgres|both]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
ROUNDS = 5
# Section files grow with the catalog up to the protocol's 50,000 URLs: bounded, not constant.
BOUNDED = {"/sitemap-tools.xml"}


def pages() -> list[str]:
    """Every reader page and API list, search aside; slugs are the starter catalog's."""
    return [
        "/",
        "/tools/",
        "/tools/?page=3",
        "/tools/claude-4-sonnet/",
        "/categories/",
        "/categories/developer-tools/",
        "/compare/",
        "/compare/claude-4-sonnet-vs-smolvlm-3b/",
        "/panel/",
        "/panel/operator/",
        "/rankings/",
        "/rankings/developer-tools/",
        "/feeds/tools.rss",
        "/feeds/comparisons.atom",
        "/sitemap.xml",
        "/sitemap-tools.xml",
        "/api/tools",
        "/api/tools?offset=1000",
        "/api/tools/claude-4-sonnet",
        "/api/comparisons",
        "/api/comparisons/claude-4-sonnet-vs-smolvlm-3b",
        "/api/votes/rankings",
    ]


def figures(client, urls: list[str]) -> dict[str, tuple[int, float]]:
    """Each page's query count and the median time of ROUNDS warm requests, in ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measured = {}
    for url in urls:
        client.get(url)  # warm templates, connections and the OS page cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Read now: the capture slices the live query log, which the next request clears.
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        measured[url] = (queries, statistics.median(times))
    return measured


def run(*, tools: int, database: str) -> None:
    """One database: starter figures, generate, large figures, the table."""
    from _setup import django_start

    # No page cache: every request renders, as the figures are about the pages themselves.
    env = {"VERDICTS_PANEL_MODEL": "", "PAGE_CACHE_ENABLED": "0"}
    if database != "sqlite":
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
    django_start(env=env)
    if database != "sqlite":
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]  # django_start drops an inherited one
    from _setup import site_client
    from django.core.management import call_command
    from django.db import connection

    from verdicts.catalog.models import Tool

    client = site_client()
    urls = pages()
    small = figures(client, urls)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "catalog",
            "generate",
            tools=tools,
            comparisons=tools // 10,
            votes=tools * 10,
            # The refit is quadratic in the tools ranked (votes' shared_ranks): at 100,000 it
            # does not finish, so the rankings pages show the starter's stored entries.
            rankings=False,
            stdout=quiet,
        )
    generated_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    large = figures(client, urls)
    print(
        f"\n{connection.vendor}: {Tool.objects.count() - tools} tools, then"
        f" {Tool.objects.count()} (generated in {generated_s:.0f} s); median of {ROUNDS}"
    )
    print(f"{'page':40} {'queries':>9} {'ms small':>9} {'ms large':>9} {'ratio':>6}")
    worst = 0.0
    for url in urls:
        queries, ms = small[url]
        big_queries, big_ms = large[url]
        ratio = big_ms / ms
        if url in BOUNDED:
            flag = "  (bounded: at most 50,000 URLs a file)"
        else:
            worst = max(worst, ratio)
            flag = "" if ratio <= 2.0 and queries == big_queries else "  <-- over"
        counts = f"{queries:4d}/{big_queries:<4d}"
        print(f"{url:40} {counts} {ms:9.1f} {big_ms:9.1f} {ratio:5.2f}x{flag}")
    print(f"worst ratio: {worst:.2f}x (goal <= 2.00x)")


def postgres_answers() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True


def on_postgres(*, tools: int) -> None:
    """A scratch database of its own, created, used by a child run and dropped."""
    import psycopg

    name = f"verdicts_scale_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        child(tools=tools, database=name)
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(*, tools: int, database: str) -> None:
    """Each database in a process of its own: Django is set up once per process."""
    script = str(Path(__file__).resolve())
    subprocess.run([sys.executable, script, "--tools", str(tools), "--only", database], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tools", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--only", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.only:
        run(tools=options.tools, database=options.only)
        return
    if options.database in ("sqlite", "both"):
        child(tools=options.tools, database="sqlite")
    if options.database in ("postgres", "both"):
        if postgres_answers():
            on_postgres(tools=options.tools)
        else:
            print("PostgreSQL does not answer at 127.0.0.1:5432: skipped.")


if __name__ == "__main__":
    main()
