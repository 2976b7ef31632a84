"""Aggregates over the whole catalog, computed once and kept until what they count changes.

The same rule as stored pages (verdicts/common/page_cache.py): a value is current while every
scope it reads was last stamped before its computation began, on the database's clock. A page
that shows a count over 100,000 tools then costs one indexed lookup, not the count.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from verdicts.common.content_versions import content_clock, content_current


@dataclass(frozen=True)
class Memo[T]:
    started: float
    value: T


def content_memo[T](*, key: str, scopes: Sequence[str], compute: Callable[[], T]) -> T:
    """`compute()`, or the value it gave since none of `scopes` changed.

    With the page cache off nothing is stamped, so nothing is kept either.
    """
    if not settings.PAGE_CACHE_ENABLED:
        return compute()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    full_key = f"memo:{settings.PAGE_CACHE_RELEASE}:{key}"
    stored = cache.get(full_key)
    if stored is not None and content_current(started=stored.started, scopes=scopes):
        return stored.value
    started = content_clock()
    value = compute()
    cache.set(full_key, Memo(started, value), timeout=settings.PAGE_CACHE_SECONDS)
    return value
