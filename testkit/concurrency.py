"""Run callables at the same moment in threads, as racing requests or workers would."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Raced[T]:
    """What the racing calls gave: results in the order of the calls that returned, and the
    exceptions of those that raised."""

    results: list[T]
    errors: list[BaseException]


def threads_race[T](calls: Sequence[Callable[[], T]]) -> Raced[T]:
    """Run each call in its own thread, all released together by a barrier, and wait for all.

    Each thread closes its own database connection when done: Django opens one per thread,
    and one left open keeps the test database from being flushed or dropped.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[tuple[bool, T | BaseException] | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            outcomes[index] = (True, call())
        except BaseException as error:  # the caller asserts on it
            outcomes[index] = (False, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Raced(
        results=[value for ok, value in filter(None, outcomes) if ok],
        errors=[value for ok, value in filter(None, outcomes) if not ok],
    )
