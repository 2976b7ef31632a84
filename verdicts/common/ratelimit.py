"""One fixed-window rate limiter, counted in Django's cache: Redis, or the database cache table,
so that every gunicorn worker counts into the same window."""

import hashlib
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


def rate_hit(*, bucket: str, limit: int, window: int) -> int:
    """Count one hit in the current window of `bucket`; seconds until it ends when over `limit`.

    Returns 0 while the hit is within the limit.
    """
    now = time.time()
    start, key = _window(bucket, window, now)
    # The backend itself: `django.core.cache.cache` is a proxy that isinstance cannot see through.
    cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, DatabaseCache):
        hits = _database_count(cache, key, window)
    else:
        hits = _count(cache, key, window)
    if hits > limit:
        return max(1, int(start + window - now + 0.999))
    return 0


def rate_reached(*, bucket: str, limit: int, window: int) -> int:
    """Seconds until the current window of `bucket` ends when it already holds `limit` hits.

    Counts nothing: for limits on outcomes (failed logins) checked before the attempt.
    Returns 0 while fewer than `limit` hits were counted.
    """
    now = time.time()
    start, key = _window(bucket, window, now)
    if caches[DEFAULT_CACHE_ALIAS].get(key, 0) >= limit:
        return max(1, int(start + window - now + 0.999))
    return 0


def _window(bucket: str, window: int, now: float) -> tuple[int, str]:
    """The start of the window `now` is in, and its counter's cache key."""
    start = int(now // window) * window
    return start, f"rate:{bucket}:{window}:{start}"


def _count(cache: BaseCache, key: str, window: int) -> int:
    """An atomic increment where the cache has one (Redis INCR, the memory cache's lock)."""
    cache.add(key, 0, timeout=window + 1)
    try:
        return cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this hit opens a new window.
        cache.set(key, 1, timeout=window + 1)
        return 1


def _database_count(cache: DatabaseCache, key: str, window: int) -> int:
    """Read and write the counter in one transaction that holds a lock on it.

    The database cache's incr is a get and a set that another worker can interleave (and it
    resets the timeout), so: SQLite's IMMEDIATE transaction takes the write lock when it
    begins; PostgreSQL takes an advisory lock on the key until the transaction ends.
    """
    alias = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            lock = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        hits = cache.get(key, 0) + 1
        cache.set(key, hits, timeout=window + 1)
    return hits
