"""The fixed-window limiter on the database cache: one count for every worker."""

from datetime import timedelta
from functools import partial

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import timezone

from testkit.concurrency import threads_race
from verdicts.common.ratelimit import rate_hit, rate_reached

THREADS = 8
HITS = 25


@pytest.fixture
def empty_cache(transactional_db):
    cache.clear()
    yield
    cache.clear()


def hits(bucket: str, limit: int, count: int) -> list[int]:
    return [rate_hit(bucket=bucket, limit=limit, window=60) for _ in range(count)]


def test_without_redis_the_cache_is_a_database_table(settings, db):
    assert not settings.REDIS_URL
    assert isinstance(caches["default"], DatabaseCache)
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_concurrent_hits_on_their_own_connections_lose_no_count(empty_cache):
    limit = THREADS * HITS - 40
    raced = threads_race([partial(hits, "race", limit, HITS) for _ in range(THREADS)])
    assert raced.errors == []
    waits = [wait for result in raced.results for wait in result]
    assert waits.count(0) == limit
    assert all(1 <= wait <= 60 for wait in waits if wait)


def test_a_long_window_outlives_the_default_cache_timeout(empty_cache):
    assert [rate_hit(bucket="signups", limit=2, window=3600) for _ in range(3)][:2] == [0, 0]
    assert 1 <= rate_hit(bucket="signups", limit=2, window=3600) <= 3600
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {caches['default']._table}")
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):
        expires = timezone.datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, timezone.UTC)
    # A plain incr would have reset it to the cache's default five minutes.
    assert expires - timezone.now() > timedelta(minutes=50)


def test_buckets_and_limits_are_separate(empty_cache):
    assert hits("a", 2, 3)[2] > 0
    assert hits("b", 2, 2) == [0, 0]


def test_reached_says_when_a_bucket_is_full_and_counts_nothing(empty_cache):
    assert [rate_reached(bucket="failures", limit=2, window=60) for _ in range(5)] == [0] * 5
    assert hits("failures", 2, 2) == [0, 0]
    assert 1 <= rate_reached(bucket="failures", limit=2, window=60) <= 60
    assert rate_reached(bucket="failures", limit=3, window=60) == 0
    # Peeking counted nothing: the next hit is the third, one over the limit.
    assert hits("failures", 2, 1)[0] > 0
