"""What the bench scripts share: Django on scratch state, page figures, loopback ports.

A script imports this first (its own folder is on sys.path) and calls django_start() before it
imports anything from Django or the project; hence the imports inside the functions below.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

VERDICTS = str(Path(sys.executable).with_name("verdicts"))
CHECKOUT = str(Path(__file__).resolve().parent.parent)


def checkout_importable() -> None:
    """Make this checkout's packages (verdicts, testkit) importable."""
    if CHECKOUT not in sys.path:
        sys.path.insert(0, CHECKOUT)


def django_start(*, env: Mapping[str, str] | None = None) -> None:
    """Make this checkout importable and set Django up on a fresh var dir and SQLite file.

    env is set last, over these defaults.
    """
    checkout_importable()
    os.environ["VERDICTS_VAR_DIR"] = tempfile.mkdtemp(prefix="verdicts-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verdicts.settings")
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.update(env or {})

    import django

    django.setup()


def site_client() -> "Client":
    """A client on the migrated, initialised site, over one persistent database connection."""
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    # As with CONN_MAX_AGE: a reconnect per request would both dominate the timings and reset
    # the query log being counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("init", verbosity=0)
    return Client(HTTP_HOST="127.0.0.1")


def page_figures(
    *, client: "Client", pages: list[str], rounds: int
) -> dict[str, tuple[int, int, float]]:
    """Each page's size in bytes, its query count, and its mean time in ms over rounds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for url in pages:
        client.get(url)  # warm caches and template loading
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
        started = time.perf_counter()
        for _ in range(rounds):
            client.get(url)
        elapsed_ms = (time.perf_counter() - started) * 1000 / rounds
        figures[url] = (len(response.content), queries, elapsed_ms)
    return figures


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_wait(*, port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Return once the process's server takes connections on the loopback port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


@contextmanager
def verdicts_serving(
    *, env: Mapping[str, str], workers: int, port: int | None = None
) -> Iterator[int]:
    """`verdicts serve --no-worker` (gunicorn) on a loopback port (a free one by default), in a
    session of its own; yields the port once it takes connections, and stops the whole session
    after."""
    port = port or free_port()
    process = subprocess.Popen(
        [VERDICTS, "serve", "--no-worker", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        port_wait(port=port, process=process)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
