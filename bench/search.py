"""Search at scale: the search page on the starter catalog, then on 100,000 more tools.

Builds the starter catalog on a scratch database, measures a few queries (the search read
model's query count and median time, and the whole /search page's through Django's full
stack, page cache off), runs `verdicts catalog
generate` (100,000 tools, 10,000 comparisons; the triggers index them as they go in) and
measures again. Prints both with their ratio: queries must stay the same, time near 1x. Runs
on SQLite, then on PostgreSQL when 127.0.0.1:5432 answers (a scratch database of its own,
dropped after).

Run: .venv/bin/python bench/search.py [--tools 100000] [--database sqlite|postgres|both]
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
ROUNDS = 7
QUERIES = ["vision", "clau", "claude code", "ollama", "hugging face vision", "zzzz"]


def figures(client) -> dict[str, tuple[int, float, float, int]]:
    """Each query: the read model's query count and median ms, the whole page's median ms
    through Django's request stack, and the tools found."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from verdicts.pages.read_models.search import search_page

    def median_ms(call) -> float:
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    measured = {}
    for text in QUERIES:
        response = client.get("/search", {"q": text})  # warm templates and the OS page cache
        assert response.status_code == 200, (text, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            page = search_page(query=text)
        measured[text] = (
            len(captured),
            median_ms(lambda text=text: search_page(query=text)),
            median_ms(lambda text=text: client.get("/search", {"q": text})),
            len(page.tools),
        )
    return measured


def run(*, tools: int, database: str) -> None:
    from _setup import django_start

    # The page cache off: every distinct query is a render, and that render is measured here.
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
    small = figures(client)
    started = time.perf_counter()
    call_command(
        "catalog", "generate", tools=tools, comparisons=tools // 10, votes=0, samples=20,
        stdout=io.StringIO(),
    )  # fmt: skip
    generated_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    large = figures(client)
    print(f"\n{connection.vendor}: {Tool.objects.count()} tools (generated in {generated_s:.0f} s)")
    print(
        f"{'query':20} {'queries':>7} {'found':>9} {'read model ms':>19} {'ratio':>6}"
        f" {'page ms':>15} {'ratio':>6}"
    )
    for text in QUERIES:
        (queries, ms, page_ms, found), (big_queries, big_ms, big_page_ms, big_found) = (
            small[text],
            large[text],
        )
        print(
            f"{text:20} {queries:3d}/{big_queries:<3d} {found:4d}/{big_found:<4d}"
            f" {ms:9.1f} {big_ms:9.1f} {big_ms / ms:5.2f}x"
            f" {page_ms:7.1f} {big_page_ms:7.1f} {big_page_ms / page_ms:5.2f}x"
        )


def postgres_answers() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True


def child(*, tools: int, database: str) -> None:
    script = str(Path(__file__).resolve())
    subprocess.run([sys.executable, script, "--tools", str(tools), "--only", database], check=True)


def on_postgres(*, tools: int) -> None:
    import psycopg

    name = f"verdicts_search_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        child(tools=tools, database=name)
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
