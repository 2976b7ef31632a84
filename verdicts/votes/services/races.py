"""Retrying a write that lost a race for a unique row."""

from collections.abc import Callable

from django.db import IntegrityError

# Two recomputes replacing the stored rankings at once race for the unique (method, scope,
# tool) rows; the loser's transaction rolled back whole, so trying again replaces the winner's.
ATTEMPTS = 5


def race_retried[T](action: Callable[[], T]) -> T:
    """Run a transactional action, again after each IntegrityError, up to ATTEMPTS times."""
    for _ in range(ATTEMPTS - 1):
        try:
            return action()
        except IntegrityError:
            continue
    return action()
