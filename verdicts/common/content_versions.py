"""When each scope of the site's content last changed, on the database's clock.

A write that changes what readers see calls `content_changed` with the scopes it touched; the
stamp is taken after the write commits. A page rendered from data read after the database
clock said `started` is current while every scope it shows is older than `started`
(verdicts/common/page_cache.py). One clock, the database's, so web machines whose own clocks
disagree still agree on what is stale.

An app may keep some scopes' stamps in tables of its own, written in the same statements as
the change (the vote tallies do: verdicts/votes/stamps.py); it registers a source with
`content_stamps_source_add`, and every read below takes the latest of both, in one query.
"""

import functools
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction

from verdicts.common.models import ContentVersion
from verdicts.common.prepared import prepared_cursor

# Editorial content: tools, plans, prices, comparisons, reviews, rankings, provenance.
CATALOG = "catalog"
# Any counted vote: pages that show figures across the catalog (home, rankings, tool lists).
VOTES = "votes"


def tool_scope(slug: str) -> str:
    """The votes of one tool."""
    return f"tool:{slug}"


def comparison_scope(slug: str) -> str:
    """The head-to-head picks of one comparison."""
    return f"comparison:{slug}"


def content_changed(*scopes: str, durable: bool = True) -> None:
    """Stamp `scopes` as changed once the current transaction commits (at once outside one).

    `durable=False` is for writes that were themselves committed without waiting for the disk
    (votes on PostgreSQL): their stamp need not wait either, as a crash that loses it loses
    the write too (the WAL keeps their order).

    A transaction that saves a thousand rows stamps once: the first callback after the commit
    stamps every scope pending, the rest find nothing left. Scopes left pending by a rollback
    are stamped with the next commit, which only costs a re-render.
    """
    if not scopes or not settings.PAGE_CACHE_ENABLED:
        # Nothing is stored while the cache is off; whatever stayed in a shared store from
        # before is keyed by the release it was rendered with.
        return
    _pending().update(scopes)
    _local.durable = getattr(_local, "durable", False) or durable
    transaction.on_commit(_flush)


def _pending() -> set[str]:
    if not hasattr(_local, "scopes"):
        _local.scopes = set()
    return _local.scopes


def _flush() -> None:
    scopes = tuple(sorted(_pending()))
    durable = getattr(_local, "durable", True)
    _pending().clear()
    _local.durable = False
    if scopes:
        _stamp(scopes, durable=durable)


def content_clock() -> float:
    """The database's clock now, in seconds since the epoch."""
    with connection.cursor() as cursor:
        cursor.execute(_CLOCK_SQL[connection.vendor])
        return float(cursor.fetchone()[0])


# Given the scopes asked about, SELECTs of one stamp column (with their parameters) for those
# the source keeps; each becomes one arm of a UNION ALL.
StampsSource = Callable[[list[str]], list[tuple[str, list]]]
_sources: list[StampsSource] = []


def content_stamps_source_add(source: StampsSource) -> None:
    """Read stamps kept outside the stamp table too (called from an app's ready())."""
    if source not in _sources:
        _sources.append(source)


def content_last_changed(*, scopes: Iterable[str]) -> float:
    """The latest stamp among `scopes`; 0.0 when none of them has changed yet. One query."""
    wanted = tuple(scopes)
    if not wanted:
        return 0.0
    sql, params = _stamps_query(tuple(_sources), wanted)
    # Prepared on PostgreSQL: a stored page's one query, asked on every request.
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        latest = cursor.fetchone()[0]
    return float(latest or 0.0)


@functools.lru_cache(maxsize=1024)
def _stamps_query(sources: tuple[StampsSource, ...], scopes: tuple[str, ...]) -> tuple[str, tuple]:
    """The stamp read of `scopes`, built once per page shape: a stored page asks it each time."""
    wanted = list(scopes)
    placeholders = ", ".join(["%s"] * len(wanted))
    arms = [
        (
            f"SELECT MAX(changed_at) AS changed_at FROM {_TABLE} WHERE scope IN ({placeholders})",
            wanted,
        )
    ]
    for source in sources:
        arms += source(wanted)
    union = " UNION ALL ".join(sql for sql, _ in arms)
    params = tuple(param for _, arm_params in arms for param in arm_params)
    return f"SELECT MAX(changed_at) FROM ({union}) stamps", params


def content_current(*, started: float, scopes: Iterable[str]) -> bool:
    """Whether something built from data read after the database clock said `started` still
    holds: none of `scopes` was stamped since. A stamp equal to `started` counts as later."""
    return content_last_changed(scopes=scopes) < started


_local = threading.local()
_TABLE = ContentVersion._meta.db_table
_CLOCK_SQL = {
    # julianday('now') has millisecond resolution; a stamp equal to a render's start counts as
    # newer than it (page_cache compares with <), so the rounding errs towards re-rendering.
    "sqlite": "SELECT (julianday('now') - 2440587.5) * 86400.0",
    # clock_timestamp(), not now(): now() is frozen at the start of the transaction.
    "postgresql": "SELECT EXTRACT(EPOCH FROM clock_timestamp())",
}


def _stamp(scopes: tuple[str, ...], *, durable: bool) -> None:
    """Move each scope's stamp to the database's clock now; never backwards."""
    clock = _CLOCK_SQL[connection.vendor].removeprefix("SELECT ")
    rows = ", ".join([f"(%s, {clock})"] * len(scopes))
    upsert = (
        f"INSERT INTO {_TABLE} (scope, changed_at) VALUES {rows} "
        "ON CONFLICT (scope) DO UPDATE SET changed_at = CASE "
        f"WHEN excluded.changed_at > {_TABLE}.changed_at THEN excluded.changed_at "
        f"ELSE {_TABLE}.changed_at END"
    )
    with connection.cursor() as cursor:
        if not durable and connection.vendor == "postgresql" and connection.get_autocommit():
            # A commit that waits for the disk costs 3.5 ms here, 34x one that does not.
            cursor.execute("SET synchronous_commit TO OFF")
            try:
                cursor.execute(upsert, list(scopes))
            finally:
                cursor.execute("RESET synchronous_commit")
        else:
            cursor.execute(upsert, list(scopes))
