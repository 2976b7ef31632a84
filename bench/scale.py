"""Scale: every reader page and API list on the starter catalog, then on 100,000 more tools.

Builds the starter catalog on a scratch database, measures each page (its query count and a
warm request's time, the median of a few, through Django's full request stack), then runs
`verdicts catalog generate` (100,000 tools, 10,000 comparisons, 1 million votes, the rankings
refitted with BOOTSTRAP_SAMPLES resamples) in the same database and measures again. Prints
both with their ratio; the goal is every time ratio <= 2.0 with the same query count. Runs on
SQLite, then on PostgreSQL when 127.0.0.1:5432 answers (a scratch database of its own,
dropped after). Search is measured elsewhere (its own index).

The page cache is on, as in production, but every request carries a `verdicts_voter` cookie
(PAGE_CACHE_PERSONAL_COOKIES), so no stored page answers: each page renders afresh, while the
figures kept across requests (content_memo, off whenever the page cache is) count as they do
on a live site; the generator stamps the catalog and the votes as changed when it is done.

Run: .venv/bin/python bench/scale.py [--tools 100000] [--database sqlite|postgres|both]
"""

import os
import statistics
import time

from _databases import django_start_on, per_database_main

ROUNDS = 5
# Section files grow with the catalog up to the protocol's 50,000 URLs: bounded, not constant.
BOUNDED = {"/sitemap-tools.xml"}
# The refit's bootstrap is linear in the picks but costs about a second a resample here.
BOOTSTRAP_SAMPLES = 20


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
    """Each page's query count and the median time of ROUNDS warm requests, in ms (the first
    request fills the kept figures; those counted and timed find them)."""
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
    # The page cache on, so that kept figures are kept, and bypassed by the voter cookie below.
    django_start_on(database=database, env={"VERDICTS_PANEL_MODEL": "", "PAGE_CACHE_ENABLED": "1"})
    from _setup import site_client
    from django.core.management import call_command
    from django.db import connection

    from verdicts.catalog.models import Tool

    client = site_client()
    # Unsigned, so it names no voter: each page renders as for any reader, and is never stored.
    client.cookies["verdicts_voter"] = "bench"
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
            samples=BOOTSTRAP_SAMPLES,
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


def main() -> None:
    per_database_main(script=__file__, doc=__doc__, prefix="verdicts_scale", run=run)


if __name__ == "__main__":
    main()
