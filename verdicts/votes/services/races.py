"""Retrying a write that lost a race for a unique row."""

from collections.abc import Callable

from django.db import IntegrityError

# A race between two first votes of one voter ends in IntegrityError for the loser; its
# transaction rolled back whole, so trying again sees the winner's row and updates it.
ATTEMPTS = 5


def race_retried[T](action: Callable[[], T]) -> T:
    """Run a transactional action, again after each IntegrityError, up to ATTEMPTS times."""
    for _ in range(ATTEMPTS - 1):
        try:
            return action()
        except IntegrityError:
            continue
    return action()
