"""What the benches that run on SQLite and on PostgreSQL share: the server, scratch databases,
and a child process per database (Django is set up once per process).

Imports nothing from Django or the project at the top, so a parent process can use it before
(or without) django_start().
"""

import argparse
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def postgres_answers() -> bool:
    """Whether PostgreSQL answers at PG_SERVER (psycopg installed, server up)."""
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


@contextmanager
def postgres_scratch(*, name: str) -> Iterator[str]:
    """A fresh database of that name (one left by a crashed run is dropped first); yields its
    URL and drops it when the block ends."""
    import psycopg

    def admin_run(statement: str) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(statement)

    admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_run(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_start_on(*, database: str, env: dict[str, str]) -> None:
    """django_start() on a fresh SQLite file ("sqlite") or on the named PostgreSQL database."""
    from _setup import django_start

    if database != "sqlite":
        env = env | {"DATABASE_URL": f"{PG_SERVER}/{database}"}
    django_start(env=env)


def per_database_main(
    *,
    script: str,
    doc: str,
    prefix: str,
    run: Callable[..., None],
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """A bench's main: --tools and --database (and the options `extra` adds); each database in
    a child process of the script that calls run(tools=..., database=..., **extra options),
    PostgreSQL on a scratch database prefix_<pid>."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--tools", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--only", help=argparse.SUPPRESS)
    if extra:
        extra(parser)
    options = parser.parse_args()
    passed = {
        key: value
        for key, value in vars(options).items()
        if key not in ("tools", "database", "only") and value is not None
    }
    if options.only:
        run(tools=options.tools, database=options.only, **passed)
        return

    def child(database: str) -> None:
        command = [sys.executable, str(Path(script).resolve()), "--tools", str(options.tools)]
        for key, value in passed.items():
            command += [f"--{key.replace('_', '-')}", str(value)]
        subprocess.run([*command, "--only", database], check=True)

    if options.database in ("sqlite", "both"):
        child("sqlite")
    if options.database in ("postgres", "both"):
        if postgres_answers():
            name = f"{prefix}_{os.getpid()}"
            with postgres_scratch(name=name):
                child(name)
        else:
            print("PostgreSQL does not answer at 127.0.0.1:5432: skipped.")
