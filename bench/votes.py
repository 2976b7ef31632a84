"""Votes per second through the real HTTP stack, as a ratio of the database's raw insert rate.

For SQLite, and for PostgreSQL when one answers on 127.0.0.1:5432, in a scratch database:
1. `verdicts init`, then `verdicts serve --no-worker` (gunicorn, the production server) on a
   loopback port;
2. CLIENTS threads, each a set of anonymous voters with their own cookies, post ship/skip votes
   (every voter votes on every tool, then flips some) to /api/votes/tools/<slug> with a CSRF
   token and an Idempotency-Key (gunicorn's sync workers close each connection);
3. the same rows are then inserted straight into a copy of the votes table with the same
   indexes, by the same number of threads, one committed INSERT each: the raw rate;
4. the integrity check: every stored vote equals its voter's last acknowledged vote, no
   (tool, voter) is stored twice, every count the API shows equals a fresh count, and every
   tally equals a recount (`verdicts votes recount --check`);
5. the statements one new vote, flip, replay and withdraw take through the API, split into
   the vote's own, transaction control and the rate limiter's.

There is no trivial CSRF-checked POST view on the site to compare with, so the ratio is to the
raw insert rate.

Run: .venv/bin/python bench/votes.py        (BENCH_VOTERS=200 BENCH_CLIENTS=8 to change)
"""

import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from _databases import postgres_answers, postgres_scratch
from _setup import VERDICTS, verdicts_serving

ROOT = Path(__file__).resolve().parent.parent
VOTERS = int(os.environ.get("BENCH_VOTERS", "120"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
TOOLS = int(os.environ.get("BENCH_TOOLS", "6"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))
FLIP_SHARE = 0.3


def bench_env(var_dir: str, database_url: str) -> dict:
    env = {
        **os.environ,
        "VERDICTS_VAR_DIR": var_dir,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "LOG_LEVEL": "WARNING",
        "VOTES_RATE_PER_VOTER": "1000000",
        "VOTES_RATE_PER_ADDRESS": "1000000",
        # Every bench voter comes from 127.0.0.1: lift the stuffing caps that would hold them.
        "VOTES_BALLOTS_PER_ADDRESS": "1000000",
        "VOTES_NEW_VOTERS_PER_ADDRESS": "1000000",
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Voter:
    """One anonymous voter: its cookie jar and the last vote it had acknowledged per tool."""

    def __init__(self, csrf: str):
        self.cookies = {"csrftoken": csrf}
        self.last: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]


def csrf_token(port: int, slug: str) -> str:
    """A CSRF secret of our own (Django accepts any well-formed one that the header repeats),
    after one page view so that the workers have started; pages no longer hand out tokens."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/tools/{slug}/")
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"/tools/{slug}/ answered {response.status}")
    return uuid.uuid4().hex


def client_run(port: int, slugs: list[str], voters: int, seed: int, out: list, errors: list):
    """Vote as `voters` voters: each tool once, then flips; keep what was acknowledged."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    csrf = csrf_token(port, slugs[0])
    crowd = [Voter(csrf) for _ in range(voters)]
    plan = [(voter, slug, rng.choice(["ship", "skip"])) for voter in crowd for slug in slugs]
    rng.shuffle(plan)
    flips = [
        (voter, slug, "skip" if choice == "ship" else "ship")
        for voter, slug, choice in rng.sample(plan, int(len(plan) * FLIP_SHARE))
    ]
    acknowledged = 0
    for voter, slug, choice in plan + flips:
        body = json.dumps({"choice": choice})
        headers = {
            "Content-Type": "application/json",
            "Cookie": voter.cookie_header(),
            "X-CSRFToken": csrf,
            "Origin": f"http://127.0.0.1:{port}",
            "Sec-Fetch-Site": "same-origin",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        conn.request("POST", f"/api/votes/tools/{slug}", body, headers)
        response = conn.getresponse()
        payload = response.read()
        if response.status != 200:
            errors.append((response.status, payload[:200]))
            continue
        voter.remember(response)
        voter.last[slug] = json.loads(payload)["choice"]
        acknowledged += 1
    conn.close()
    out.append((acknowledged, crowd))


def threads_run(*, threads: list[threading.Thread]) -> float:
    """Start the threads together and wait for all; returns the wall time in seconds."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def measure(label: str, database_url: str) -> None:
    var_dir = tempfile.mkdtemp(prefix=f"verdicts-bench-votes-{label}-")
    env = bench_env(var_dir, database_url)
    subprocess.run([VERDICTS, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    child = subprocess.run(
        [sys.executable, __file__, "--child", "slugs", str(TOOLS)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    slugs = child.stdout.split()
    with verdicts_serving(env=env, workers=WORKERS) as port:
        csrf_token(port, slugs[0])  # every worker imports and connects before the clock starts
        results: list = []
        errors: list = []
        per_client = max(1, VOTERS // CLIENTS)
        threads = [
            threading.Thread(
                target=client_run, args=(port, slugs, per_client, index, results, errors)
            )
            for index in range(CLIENTS)
        ]
        elapsed = threads_run(threads=threads)
    acknowledged = sum(count for count, _ in results)
    expected = {}
    for _, crowd in results:
        for voter in crowd:
            anonymous = voter.cookies.get("verdicts_voter", "")
            expected[anonymous] = voter.last
    check = subprocess.run(
        [sys.executable, __file__, "--child", "check"],
        env=env,
        input=json.dumps({"expected": expected, "clients": CLIENTS}),
        capture_output=True,
        text=True,
    )
    if check.returncode:
        sys.exit(f"{label}: the integrity check failed to run:\n{check.stderr[-2000:]}")
    report = json.loads(check.stdout)
    http_rate = acknowledged / elapsed
    print(
        f"{label}: {acknowledged} votes acknowledged in {elapsed:.1f}s = {http_rate:.0f} votes/s "
        f"through HTTP (gunicorn {WORKERS} workers, {CLIENTS} concurrent clients, "
        f"{len(expected)} voters x {len(slugs)} tools + {FLIP_SHARE:.0%} flips); "
        f"raw committed INSERTs of the same {report['rows']} rows: {report['raw_rate']:.0f}/s; "
        f"ratio {http_rate / report['raw_rate']:.3f}; errors {len(errors)}; "
        f"integrity (votes, receipts, shown counts, tallies == recount): {report['integrity']}"
    )
    for name, kinds in report["statements"].items():
        print(
            f"  statements per {name}: {kinds['vote']} the vote's own (the tally triggers "
            f"stamp its pages), {kinds['transaction']} transaction control, "
            f"{kinds['rate limiter']} the rate limiter's"
        )
    if errors:
        print(f"  first errors: {errors[:3]}")
    if report["integrity"] != "OK" or errors:
        sys.exit(1)
    shutil.rmtree(var_dir, ignore_errors=True)


def child_slugs(count: int) -> None:
    """Print the slugs of the published tools the load votes on."""
    from verdicts.catalog.models import Tool

    print(
        " ".join(Tool.objects.published().order_by("slug").values_list("slug", flat=True)[:count])
    )


def raw_insert_rate(rows: list[tuple], clients: int) -> float:
    """Committed single-row INSERTs per second into a copy of the votes table, by `clients`
    threads on their own connections, with the same pragmas or server as the site."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_votes")
        cursor.execute(
            "CREATE TABLE bench_raw_votes (id INTEGER PRIMARY KEY, tool_id BIGINT NOT NULL, "
            "voter_key VARCHAR(64) NOT NULL, choice VARCHAR(4) NOT NULL, "
            "address_hash VARCHAR(64) NOT NULL, created_at TIMESTAMP NOT NULL, "
            "updated_at TIMESTAMP NOT NULL, UNIQUE (tool_id, voter_key))"
            if connection.vendor == "sqlite"
            else "CREATE TABLE bench_raw_votes (id BIGSERIAL PRIMARY KEY, tool_id BIGINT NOT NULL, "
            "voter_key VARCHAR(64) NOT NULL, choice VARCHAR(4) NOT NULL, "
            "address_hash VARCHAR(64) NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
            "updated_at TIMESTAMPTZ NOT NULL, UNIQUE (tool_id, voter_key))"
        )
        cursor.execute("CREATE INDEX bench_raw_votes_choice ON bench_raw_votes (tool_id, choice)")
    connection.close()
    chunks = [rows[index::clients] for index in range(clients)]
    database = settings.DATABASES["default"]

    def insert(chunk: list[tuple]) -> None:
        if connection.vendor == "sqlite":
            conn = sqlite3.connect(database["NAME"], timeout=20, isolation_level=None)
            conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
            for row in chunk:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO bench_raw_votes (tool_id, voter_key, choice, address_hash, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, datetime('now'), datetime('now'))",
                    row,
                )
                conn.execute("COMMIT")
            conn.close()
        else:
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
                for row in chunk:
                    conn.execute(
                        "INSERT INTO bench_raw_votes (tool_id, voter_key, choice, address_hash, "
                        "created_at, updated_at) VALUES (%s, %s, %s, %s, now(), now())",
                        row,
                    )

    elapsed = threads_run(
        threads=[threading.Thread(target=insert, args=(chunk,)) for chunk in chunks]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_raw_votes")
        inserted = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_raw_votes")
    if inserted != len(rows):
        raise RuntimeError(f"raw insert stored {inserted} of {len(rows)} rows")
    return len(rows) / elapsed


def child_check() -> None:
    """Integrity after the load, then the raw insert rate of the same rows; prints JSON."""
    from _votes_statements import statements_per_vote
    from django.db.models import Count
    from django.http import HttpRequest
    from django.test import Client

    from verdicts.votes.identity import VOTER_COOKIE, voter_cookie
    from verdicts.votes.models import ToolVote
    from verdicts.votes.services.tallies import vote_tallies_recount

    given = json.load(sys.stdin)
    problems = []
    stored = {}
    for vote in ToolVote.objects.values("voter_key", "tool__slug", "choice"):
        stored.setdefault(vote["voter_key"], {})[vote["tool__slug"]] = vote["choice"]
    expected_keys = set()
    for cookie, last in given["expected"].items():
        request = HttpRequest()
        request.COOKIES[VOTER_COOKIE] = cookie.strip('"')
        key = f"anon:{voter_cookie(request)}"
        expected_keys.add(key)
        if stored.get(key, {}) != {slug: c for slug, c in last.items() if c}:
            problems.append(f"voter {key}: stored {stored.get(key)} != acknowledged {last}")
    if set(stored) - expected_keys:
        problems.append(f"{len(set(stored) - expected_keys)} voters nobody acknowledged")
    doubled = ToolVote.objects.values("tool", "voter_key").annotate(n=Count("id")).filter(n__gt=1)
    if doubled.exists():
        problems.append(f"{doubled.count()} (tool, voter) pairs stored twice")
    client = Client()
    for slug in {vote["tool__slug"] for vote in ToolVote.objects.values("tool__slug")}:
        votes = ToolVote.objects.filter(tool__slug=slug)
        fresh = (votes.filter(choice="ship").count(), votes.count())
        shown = client.get(f"/api/tools/{slug}", HTTP_HOST="127.0.0.1").json()["community"]
        if (shown["count"], shown["total"]) != fresh:
            problems.append(f"{slug}: shown {shown} != fresh {fresh}")
    recount = vote_tallies_recount(fix=False)
    if not recount.ok:
        problems.append(f"tallies drifted: {[str(d) for d in recount.drift[:3]]}")
    rows = list(ToolVote.objects.values_list("tool_id", "voter_key", "choice", "address_hash"))
    report = {
        "integrity": "OK" if not problems else "; ".join(problems[:5]),
        "rows": len(rows),
        "statements": statements_per_vote(
            slug=ToolVote.objects.values_list("tool__slug", flat=True)[0]
        ),
        "raw_rate": raw_insert_rate(rows, given["clients"]),
    }
    print(json.dumps(report))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        if sys.argv[2] == "slugs":
            child_slugs(int(sys.argv[3]))
        else:
            child_check()
        return
    measure("sqlite", "")
    if postgres_answers():
        with postgres_scratch(name="verdicts_votes_bench") as database_url:
            measure("postgresql", database_url)
    else:
        print("postgresql: skipped (nothing answers on 127.0.0.1:5432)")


if __name__ == "__main__":
    main()
