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

import io
import statistics
import time

from _databases import django_start_on, per_database_main

ROUNDS = 7
QUERIES = ["vision", "pro", "clau", "claude code", "ollama", "hugging face vision", "zzzz"]


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
    # The page cache off: every distinct query is a render, and that render is measured here.
    django_start_on(database=database, env={"VERDICTS_PANEL_MODEL": "", "PAGE_CACHE_ENABLED": "0"})
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


def main() -> None:
    per_database_main(script=__file__, doc=__doc__, prefix="verdicts_search", run=run)


if __name__ == "__main__":
    main()
