"""Scale: every reader page and API list on a small catalog, then on 100,000 tools.

Builds the starter catalog on a scratch database and adds just enough generated rows that
every page shows as many rows as it does at scale (SMALL: 2,000 tools, so each category page,
tool index page and API page is full; 1,000 comparisons and 20,000 votes, so each ranking
lists its 50 of each method): the two sides then do equal work, and a ratio measures the
catalog's size, not a longer list. Measures each page (its query count, its size and a warm
request's time, the median of a few, through Django's full request stack) and the rankings
refit, then runs `verdicts catalog generate` up to --tools tools, --comparisons comparisons
and --votes votes (100,000, 10,000 and 1 million by default; the rankings refitted with
BOOTSTRAP_SAMPLES resamples) in the same database and measures again. Prints both with their
ratio; the goal is every time ratio <= 2.0 with the same query count, and `votes recount
--check` clean after the bulk load. Runs on SQLite, then on PostgreSQL when 127.0.0.1:5432
answers (a scratch database of its own, dropped after). Search is measured elsewhere.

The load run (issue #13) is the same bench with ten million votes and 2,000 comparisons:
`.venv/bin/python bench/scale.py --votes 10000000 --comparisons 2000`.

The page cache is on, as in production, but every request carries a `verdicts_voter` cookie
(PAGE_CACHE_PERSONAL_COOKIES), so no stored page answers: each page renders afresh, while the
figures kept across requests (content_memo, off whenever the page cache is) count as they do
on a live site; the generator stamps the catalog and the votes as changed when it is done.

Run: .venv/bin/python bench/scale.py [--tools 100000] [--comparisons N] [--votes N]
     [--database sqlite|postgres|both]
"""

import statistics
import time

from _databases import django_start_on, per_database_main

ROUNDS = 5
# Section files grow with the catalog up to the protocol's 50,000 URLs: bounded, not constant.
BOUNDED = {"/sitemap-tools.xml"}
# The refit's bootstrap is linear in the picks but costs about a second a resample here.
BOOTSTRAP_SAMPLES = 20
# The small side: enough rows that every page is as full as at scale (see the docstring).
SMALL = {"tools": 2_000, "comparisons": 1_000, "votes": 20_000}


def pages() -> list[str]:
    """Every reader page and API list, search aside; slugs are the starter catalog's."""
    return [
        "/",
        "/tools/",
        "/tools/?page=3",
        "/tools/?sort=panel",
        "/tools/?sort=community",
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


def figures(client, urls: list[str]) -> dict[str, tuple[int, int, float]]:
    """Each page's query count, size in bytes and the median time of ROUNDS warm requests, in
    ms (the first request fills the kept figures; those counted and timed find them)."""
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
        measured[url] = (queries, len(response.content), statistics.median(times))
    return measured


def generate(*, tools: int, comparisons: int, votes: int, seed: int) -> dict[str, float]:
    """The generator without its refit, then the refit on its own: each step's time in s
    (tools, plans, ..., votes, then refit and all)."""
    from django.db import connection

    from verdicts.core.generate import catalog_generate
    from verdicts.votes.services.rankings import rankings_recompute

    times: dict[str, float] = {}
    began = time.perf_counter()

    def progress(name: str, total: int):
        started = time.perf_counter()

        def step(done: int) -> None:
            times[name] = time.perf_counter() - started

        return step

    catalog_generate(
        tools=tools,
        comparisons=comparisons,
        votes=votes,
        seed=seed,
        rankings=False,
        progress=progress,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    times["all"] = time.perf_counter() - began
    started = time.perf_counter()
    rankings_recompute(samples=BOOTSTRAP_SAMPLES)
    times["refit"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does on a production server (it may be off on a scratch one): the
        # dead row versions the load left (each tool insert rewrites its category's count row)
        # cleared; then the load's dirty pages written now, not while pages are timed.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("CHECKPOINT")
    return times


def run(
    *, tools: int, database: str, comparisons: int | None = None, votes: int | None = None
) -> None:
    """One database: small figures, generate, large figures, the table."""
    # The page cache on, so that kept figures are kept, and bypassed by the voter cookie below.
    django_start_on(database=database, env={"VERDICTS_PANEL_MODEL": "", "PAGE_CACHE_ENABLED": "1"})
    from _setup import site_client
    from django.db import connection

    from verdicts.catalog.models import Comparison, Tool
    from verdicts.votes.models import PairVote, ToolVote
    from verdicts.votes.services.tallies import vote_tallies_recount

    comparisons = tools // 10 if comparisons is None else comparisons
    votes = tools * 10 if votes is None else votes
    client = site_client()
    # Unsigned, so it names no voter: each page renders as for any reader, and is never stored.
    client.cookies["verdicts_voter"] = "bench"
    urls = pages()
    small_times = generate(**SMALL, seed=1)
    sizes = [(Tool.objects.count(), Comparison.objects.count())]
    small = figures(client, urls)
    large_times = generate(
        tools=max(0, tools - SMALL["tools"]),
        comparisons=max(0, comparisons - SMALL["comparisons"]),
        votes=max(0, votes - SMALL["votes"]),
        seed=2,
    )
    sizes.append((Tool.objects.count(), Comparison.objects.count()))
    cast = ToolVote.objects.count() + PairVote.objects.count()
    large = figures(client, urls)
    started = time.perf_counter()
    recount = vote_tallies_recount(fix=False)
    recount_s = time.perf_counter() - started

    (small_tools, small_pairs), (large_tools, large_pairs) = sizes
    votes_s = large_times.get("votes", 0.0)
    print(
        f"\n{connection.vendor}: {small_tools} tools and {small_pairs} comparisons, then"
        f" {large_tools} and {large_pairs} with {cast:,} votes, generated in"
        f" {large_times['all']:.0f} s (the votes in {votes_s:.0f} s,"
        f" {votes_s / max(cast, 1) * 1e6:.0f} s a million); median of {ROUNDS}"
    )
    print(f"{'page':44} {'queries':>9} {'KB':>11} {'ms small':>9} {'ms large':>9} {'ratio':>6}")
    worst, uneven = 0.0, []
    for url in urls:
        queries, size, ms = small[url]
        big_queries, big_size, big_ms = large[url]
        ratio = big_ms / ms
        if big_queries != queries:
            uneven.append(url)
        if url in BOUNDED:
            flag = "  (bounded: at most 50,000 URLs a file)"
        else:
            worst = max(worst, ratio)
            flag = "" if ratio <= 2.0 and queries == big_queries else "  <-- over"
        counts = f"{queries:4d}/{big_queries:<4d}"
        kb = f"{size / 1024:5.0f}/{big_size / 1024:<5.0f}"
        print(f"{url:44} {counts} {kb} {ms:9.1f} {big_ms:9.1f} {ratio:5.2f}x{flag}")
    print(
        f"rankings refit ({BOOTSTRAP_SAMPLES} resamples): {small_times['refit']:.2f} s small,"
        f" {large_times['refit']:.2f} s large ({large_times['refit'] / small_times['refit']:.1f}x)"
    )
    print(
        f"votes recount --check: {'OK' if recount.ok else 'DRIFT'}, {recount.checked} targets,"
        f" {recount_s:.1f} s"
    )
    print(
        f"query counts equal at both sizes: {'yes' if not uneven else 'no: ' + ', '.join(uneven)}"
    )
    print(f"worst ratio: {worst:.2f}x (goal <= 2.00x)")


def options(parser) -> None:
    parser.add_argument("--comparisons", type=int, help="Comparisons in all (tools / 10).")
    parser.add_argument("--votes", type=int, help="Votes in all (tools * 10).")


def main() -> None:
    per_database_main(script=__file__, doc=__doc__, prefix="verdicts_scale", run=run, extra=options)


if __name__ == "__main__":
    main()
