"""The SQLite writers' queue: one writer at a time across threads and processes, handed on the
moment it is free, and given up by a killed process."""

import subprocess
import sys
import textwrap
import threading

import pytest
from django.conf import settings
from django.db import connection

from testkit.subprocesses import subprocess_database_url
from verdicts.common.models import RateCounter
from verdicts.common.sqlite_writes import WriteQueue, statement_writes

HOLD = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(60)
    """
)

# Each process, once all are started, adds one to a counter, read then written back, in
# transactions of its own, with no busy timeout: a writer that found SQLite's lock taken would
# fail at once with "database is locked" (as they do with Django's own backend).
WRITER = textwrap.dedent(
    """
    import django, sys
    from django.conf import settings
    django.setup()
    settings.DATABASES["default"]["OPTIONS"]["timeout"] = 0
    from django.db import connection, transaction
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(int(sys.argv[1])):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT hits FROM common_ratecounter WHERE key = 'race'")
            hits = cursor.fetchone()[0]
            cursor.execute("UPDATE common_ratecounter SET hits = %s WHERE key = 'race'", [hits + 1])
        with connection.cursor() as cursor:
            # And a write outside any transaction.
            cursor.execute("UPDATE common_ratecounter SET expires_at = expires_at + 1")
    print(type(connection.write_queue).__name__)
    """
)


def _blocked(queue: WriteQueue) -> tuple[threading.Thread, threading.Event]:
    got = threading.Event()

    def wait() -> None:
        queue.acquire()
        got.set()

    thread = threading.Thread(target=wait)
    thread.start()
    return thread, got


def test_a_second_writer_waits_until_the_first_releases(tmp_path):
    first, second = (WriteQueue(database=str(tmp_path / "db.sqlite3")) for _ in range(2))
    first.acquire()
    thread, got = _blocked(second)
    assert not got.wait(0.2)
    first.release()
    assert got.wait(5)
    thread.join()
    second.close()
    first.close()


def test_a_killed_holder_releases_the_queue(tmp_path):
    queue = WriteQueue(database=str(tmp_path / "db.sqlite3"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, queue.path], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        thread, got = _blocked(queue)
        assert not got.wait(0.2)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert got.wait(5)
    thread.join()
    queue.close()


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ("INSERT INTO t VALUES (1)", True),
        ("  update t SET a = 1", True),
        ("DELETE FROM t", True),
        ("SELECT 1", False),
        ("BEGIN IMMEDIATE", False),
        ("PRAGMA foreign_keys = OFF", False),
    ],
)
def test_statement_writes(sql, writes):
    assert statement_writes(sql) is writes


@pytest.mark.django_db(transaction=True)
def test_concurrent_writer_processes_queue_and_lose_nothing(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the queue is SQLite's")
    connection.ensure_connection()
    assert connection.write_queue is not None
    RateCounter.objects.create(key="race", hits=0, expires_at=0)
    env = {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VERDICTS_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    processes, rounds = 4, 200
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(rounds)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        for _ in range(processes)
    ]
    assert [writer.stdout.readline().strip() for writer in writers] == ["ready"] * processes
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outcomes = [writer.communicate(timeout=120) for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * processes, outcomes
    assert [out.strip() for out, _ in outcomes] == ["WriteQueue"] * processes
    counter = RateCounter.objects.get(key="race")
    assert (counter.hits, counter.expires_at) == (processes * rounds, processes * rounds)
