"""Catalog-wide aggregates kept until a write stamps what they read."""

import pytest
from django.core.cache import caches

from verdicts.common.content_memo import content_memo
from verdicts.common.content_versions import CATALOG, VOTES, content_changed


@pytest.fixture
def memo_on(settings, db):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()


def counted(calls: list[int]):
    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


def test_a_value_is_computed_once_until_its_scope_changes(
    memo_on, django_capture_on_commit_callbacks, django_assert_num_queries
):
    calls: list[int] = []
    assert content_memo(key="n", scopes=[CATALOG], compute=counted(calls)) == 1
    with django_assert_num_queries(1):
        assert content_memo(key="n", scopes=[CATALOG], compute=counted(calls)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        content_changed(VOTES)
    assert content_memo(key="n", scopes=[CATALOG], compute=counted(calls)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        content_changed(CATALOG)
    assert content_memo(key="n", scopes=[CATALOG], compute=counted(calls)) == 2


def test_with_the_page_cache_off_every_call_computes(settings, db):
    settings.PAGE_CACHE_ENABLED = False
    calls: list[int] = []
    for expected in (1, 2, 3):
        assert content_memo(key="n", scopes=[CATALOG], compute=counted(calls)) == expected
