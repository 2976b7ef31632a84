"""The fixed-window limiter on a database table: one count for every worker."""

import time
from functools import partial

import pytest

from testkit.concurrency import threads_race
from verdicts.common.models import RateCounter
from verdicts.common.ratelimit import (
    RateLimit,
    rate_counters_prune,
    rate_hit,
    rate_hits,
    rate_reached,
)

THREADS = 8
HITS = 25


@pytest.fixture
def empty_cache(transactional_db):
    RateCounter.objects.all().delete()


def hits(bucket: str, limit: int, count: int) -> list[int]:
    return [rate_hit(bucket=bucket, limit=limit, window=60) for _ in range(count)]


def test_without_redis_a_hit_is_one_statement(settings, db, django_assert_num_queries):
    assert not settings.REDIS_URL
    limits = [RateLimit("voter:a", 5, 60), RateLimit("address:b", 5, 60)]
    with django_assert_num_queries(1):
        assert rate_hits(limits=limits) == 0
    assert sorted(RateCounter.objects.values_list("hits", flat=True)) == [1, 1]


def test_concurrent_hits_on_their_own_connections_lose_no_count(empty_cache):
    limit = THREADS * HITS - 40
    raced = threads_race([partial(hits, "race", limit, HITS) for _ in range(THREADS)])
    assert raced.errors == []
    waits = [wait for result in raced.results for wait in result]
    assert waits.count(0) == limit
    assert all(1 <= wait <= 60 for wait in waits if wait)


def test_a_long_window_keeps_its_count_for_the_whole_window(empty_cache):
    assert [rate_hit(bucket="signups", limit=2, window=3600) for _ in range(3)][:2] == [0, 0]
    assert 1 <= rate_hit(bucket="signups", limit=2, window=3600) <= 3600
    (expires_at,) = RateCounter.objects.values_list("expires_at", flat=True)
    assert expires_at - time.time() > 0


def test_the_longest_wait_of_the_buckets_over_their_limit_is_given(empty_cache):
    short, long = RateLimit("s", 1, 60), RateLimit("l", 1, 3600)
    assert rate_hits(limits=[short, long]) == 0
    now = time.time()
    wait = rate_hits(limits=[short, long])
    # Windows are aligned to the clock, so each ends at the next multiple of its length.
    assert abs(wait - max(60 - now % 60, 3600 - now % 3600)) <= 1.5


def test_the_counters_of_ended_windows_are_cleared(empty_cache):
    RateCounter.objects.create(key="rate:old:60:0", hits=9, expires_at=60)
    rate_hit(bucket="new", limit=5, window=60)
    assert rate_counters_prune() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) != ["rate:old:60:0"]
    assert RateCounter.objects.count() == 1


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
