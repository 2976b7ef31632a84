"""One fixed-window rate limiter that every worker counts into: Redis when the default cache is
Redis, else a table in the database, where one upsert counts a hit for every bucket at once."""

import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from verdicts.common.models import RateCounter
from verdicts.common.prepared import prepared_cursor


@dataclass(frozen=True)
class RateLimit:
    bucket: str
    limit: int
    window: int


def rate_hit(*, bucket: str, limit: int, window: int) -> int:
    """Count one hit in the current window of `bucket`; seconds until it ends when over `limit`.

    Returns 0 while the hit is within the limit.
    """
    return rate_hits(limits=[RateLimit(bucket, limit, window)])


def rate_hits(*, limits: Sequence[RateLimit]) -> int:
    """Count one hit in each of `limits`; the longest wait among those over their limit, else 0."""
    now = time.time()
    windows = [_window(limit.bucket, limit.window, now) for limit in limits]
    cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        counts = [
            _cache_count(cache, key, limit.window)
            for (_, key), limit in zip(windows, limits, strict=True)
        ]
    else:
        counts = _table_count(
            [
                (key, start + limit.window)
                for (start, key), limit in zip(windows, limits, strict=True)
            ]
        )
    waits = [
        max(1, int(start + limit.window - now + 0.999))
        for (start, _), limit, hits in zip(windows, limits, counts, strict=True)
        if hits > limit.limit
    ]
    return max(waits, default=0)


def rate_reached(*, bucket: str, limit: int, window: int) -> int:
    """Seconds until the current window of `bucket` ends when it already holds `limit` hits.

    Counts nothing: for limits on outcomes (failed logins) checked before the attempt.
    Returns 0 while fewer than `limit` hits were counted.
    """
    now = time.time()
    start, key = _window(bucket, window, now)
    cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        hits = cache.get(key, 0)
    else:
        hits = RateCounter.objects.filter(key=key).values_list("hits", flat=True).first() or 0
    if hits >= limit:
        return max(1, int(start + window - now + 0.999))
    return 0


def _window(bucket: str, window: int, now: float) -> tuple[int, str]:
    """The start of the window `now` is in, and its counter's key."""
    start = int(now // window) * window
    return start, f"rate:{bucket}:{window}:{start}"


def _cache_count(cache: BaseCache, key: str, window: int) -> int:
    """Redis INCR: atomic across workers."""
    cache.add(key, 0, timeout=window + 1)
    try:
        return cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this hit opens a new window.
        cache.set(key, 1, timeout=window + 1)
        return 1


def _table_count(keys: list[tuple[str, float]]) -> list[int]:
    """Add one to each key's counter in one statement, atomic under concurrent workers: the
    upsert takes the row's lock (PostgreSQL) or the database's write lock (SQLite); prepared
    on PostgreSQL, as a vote runs it every time."""
    quote = connection.ops.quote_name
    table, key_, hits, expires_at = (
        quote(name) for name in (RateCounter._meta.db_table, "key", "hits", "expires_at")
    )
    rows = ", ".join(["(%s, 1, %s)"] * len(keys))
    with prepared_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {hits}, {expires_at}) VALUES {rows} "
            f"ON CONFLICT ({key_}) DO UPDATE SET {hits} = {table}.{hits} + 1 "
            f"RETURNING {key_}, {hits}",
            [value for pair in keys for value in pair],
        )
        counted = dict(cursor.fetchall())
    return [counted[key] for key, _ in keys]


def rate_counters_prune() -> int:
    """Delete the counters of windows that have ended (never read again); how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=time.time()).delete()
    return deleted
