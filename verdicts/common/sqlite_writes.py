"""One queue for the writers of a SQLite database, across processes and threads.

SQLite lets one writer in at a time. The others wait in its busy handler, which sleeps 1, 2,
5, 10 ... ms between tries, so a writer that finds the lock taken sleeps on well past its
release: with three web workers, most contended votes did. Here a writer first takes an
exclusive flock on a file beside the database and keeps it until its transaction ends; the
kernel wakes a waiter the moment it is released.

SQLite's own lock still guards the data; the flock only orders the waiting. A writer that does
not take it (the sqlite3 shell, another program) stays safe and waits in the busy handler as
before. A killed process's flock goes with its open files, and each connection opens the file
for itself, so threads of one process queue like processes. docs/votes.md has the figures.
"""

import fcntl
import os

LOCK_SUFFIX = "-writes"
# The statements that write outside a transaction; anything else needs no write lock.
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class WriteQueue:
    """One connection's place in the queue of its database's writers."""

    def __init__(self, *, database: str):
        self.path = f"{database}{LOCK_SUFFIX}"
        self.held = False
        self._fd = -1
        self._pid = 0

    def acquire(self) -> None:
        """Wait for every earlier writer to finish, then hold the queue."""
        if self._pid != os.getpid():
            self._open()
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self.held = True

    def release(self) -> None:
        """Let the next writer in (nothing when not held)."""
        if self.held:
            self.held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Release and close the lock file."""
        if self._fd >= 0:
            if self._pid == os.getpid():
                self.release()
            os.close(self._fd)
        self._fd, self._pid, self.held = -1, 0, False

    def _open(self) -> None:
        # A child of a fork shares its parent's open file, and with it the parent's flock:
        # it opens one of its own, and leaves the inherited one alone but for closing it.
        if self._fd >= 0:
            os.close(self._fd)
        self.held = False
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        self._pid = os.getpid()


def statement_writes(sql: str) -> bool:
    """Whether a statement run outside a transaction takes the write lock."""
    return sql.lstrip()[:7].upper().startswith(WRITES)
