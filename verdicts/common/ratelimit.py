"""One fixed-window rate limiter, counted in Django's cache (shared by workers on Redis)."""

import time

from django.core.cache import cache


def rate_hit(*, bucket: str, limit: int, window: int) -> int:
    """Count one hit in the current window of `bucket`; seconds until it ends when over `limit`.

    Returns 0 while the hit is within the limit.
    """
    now = time.time()
    start = int(now // window) * window
    key = f"rate:{bucket}:{window}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        hits = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this hit opens a new window.
        cache.set(key, 1, timeout=window + 1)
        hits = 1
    if hits > limit:
        return max(1, int(start + window - now + 0.999))
    return 0
