"""Ballot stuffing against the production server: `verdicts serve` (gunicorn, three workers)
on the test database, hammered by a pool of urllib clients that never keep a cookie."""

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import pytest
from django.conf import settings
from django.db import connection

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.votes.identity import address_hash
from verdicts.votes.models import ToolVote, VoteStatus

WORKERS = 3
CLIENTS = 16
VOTES = 1000
PROXY_ADDRESSES = 50
RATE_PER_ADDRESS = 120
CSRF = "s" * 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(tmp_path):
    """`verdicts serve` on the test database, loopback trusted as the proxy, default caps."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VOTES_", "DJANGO_", "HUEY_", "VERDICTS_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "TRUSTED_PROXIES"}
    } | {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "VERDICTS_VAR_DIR": str(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,
        "TRUSTED_PROXIES": "127.0.0.1",
        "VOTES_RATE_PER_ADDRESS": str(RATE_PER_ADDRESS),
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "verdicts.cli", "serve", "--no-worker"]
    command += ["--port", str(port), "--workers", str(WORKERS)]
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        wait_for_other_sessions_to_end()


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def ship(base: str, slug: str, forwarded_for: str = "") -> int:
    """One cookie-less ship vote (only the CSRF cookie); its HTTP status."""
    headers = {"Content-Type": "application/json", "Cookie": f"csrftoken={CSRF}"}
    headers |= {"X-CSRFToken": CSRF, "Referer": base + "/"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    request = urllib.request.Request(
        f"{base}/api/votes/tools/{slug}", json.dumps({"choice": "ship"}).encode(), headers
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def shown(base: str, slug: str) -> int:
    with urllib.request.urlopen(f"{base}/api/tools/{slug}", timeout=30) as response:
        return json.loads(response.read())["community"]["total"]


@pytest.mark.django_db(transaction=True)
def test_cookie_less_stuffing_moves_the_shown_count_by_at_most_the_cap(tmp_path):
    lone, crowded = ToolFactory(), ToolFactory()
    connection.close()
    proxied = [f"198.51.{i // 200}.{i % 200 + 1}" for i in range(PROXY_ADDRESSES)]
    with served(tmp_path) as base, ThreadPoolExecutor(CLIENTS) as pool:
        assert shown(base, lone.slug) == 0
        started = time.time()
        statuses = list(pool.map(lambda _: ship(base, lone.slug), range(VOTES)))
        windows = math.floor(time.time() / 60) - math.floor(started / 60) + 1
        lone_shown = shown(base, lone.slug)

        crowd = [proxied[i % PROXY_ADDRESSES] for i in range(VOTES)]
        crowd_statuses = list(pool.map(lambda hop: ship(base, crowded.slug, hop), crowd))
        crowded_shown = shown(base, crowded.slug)

    # One address: the request limit is shared by the three workers (not 3 x 120), and of the
    # votes let through only the ballot cap is counted; the rest are stored, held.
    accepted = statuses.count(200)
    assert set(statuses) <= {200, 429}
    assert settings.VOTES_BALLOTS_PER_ADDRESS <= accepted <= RATE_PER_ADDRESS * windows
    assert lone_shown == settings.VOTES_BALLOTS_PER_ADDRESS
    lone_votes = ToolVote.objects.filter(tool=lone)
    assert lone_votes.count() == accepted
    assert (
        lone_votes.filter(status=VoteStatus.HELD).count()
        == accepted - settings.VOTES_BALLOTS_PER_ADDRESS
    )

    # Fifty clients behind the trusted proxy: each address is capped on its own.
    assert VOTES // PROXY_ADDRESSES <= settings.VOTES_NEW_VOTERS_PER_ADDRESS
    assert crowd_statuses == [200] * VOTES
    assert crowded_shown == PROXY_ADDRESSES * settings.VOTES_BALLOTS_PER_ADDRESS
    votes = ToolVote.objects.filter(tool=crowded)
    for hop in proxied:
        mine = votes.filter(address_hash=address_hash(hop))
        assert (
            mine.filter(status=VoteStatus.COUNTED).count() == settings.VOTES_BALLOTS_PER_ADDRESS
        ), hop
        assert mine.count() == VOTES // PROXY_ADDRESSES, hop
