"""A beat from a thread while a block of long work runs, so that its liveness stamp or lease
stays fresh however long one step (a model call) takes; only a dead process stops it."""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

logger = logging.getLogger(__name__)


@contextmanager
def heartbeat_beating(*, beat: Callable[[], None], every: float, name: str) -> Iterator[None]:
    """Call `beat` every `every` seconds from a thread of its own until the block ends. A beat
    that raises is logged and tried again at the next one."""
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(every):
                try:
                    beat()
                except Exception:
                    logger.exception("%s: a beat failed", name)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
