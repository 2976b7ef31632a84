"""Django's SQLite backend, with every write transaction and every write outside one queued on
the database's WriteQueue (verdicts/common/sqlite_writes.py).

A transaction joins the queue before its BEGIN IMMEDIATE and leaves it once SQLite says it is
over (committed, rolled back or the connection closed); a write outside a transaction holds
it for its one statement. Only a file database whose transactions begin IMMEDIATE (or
EXCLUSIVE) queues: their BEGIN takes SQLite's write lock at once, so the queue never holds
back anything SQLite would have let through.

SQLite checkpoints the WAL inside the COMMIT that fills it, after its write lock is released
but before COMMIT returns, so the checkpoint (tens of milliseconds under load) would hold the
queue. A queued connection turns that off and checkpoints itself once it has left the queue,
after every CHECKPOINT_ROWS rows it changed (a vote changes about six; SQLite's own default,
1,000 pages, is some 80 votes).
"""

from pathlib import Path

from django.db.backends.sqlite3 import base, creation

from verdicts.common.sqlite_writes import LOCK_SUFFIX, WriteQueue, statement_writes

CHECKPOINT_ROWS = 500


class QueuedCursor(base.SQLiteCursorWrapper):
    """A cursor whose writes outside a transaction take their turn in the queue."""

    queue: WriteQueue | None = None

    def execute(self, query, params=None):
        if not statement_writes(query):
            return super().execute(query, params)
        return self._queued(super().execute, query, params)

    def executemany(self, query, param_list):
        return self._queued(super().executemany, query, param_list)

    def _queued(self, run, query, params):
        """Run a write, in the queue when outside a transaction that already holds it."""
        queue = self.queue
        if queue is None or queue.held or self.connection.in_transaction:
            return run(query, params)
        queue.acquire()
        try:
            return run(query, params)
        finally:
            queue.release()


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)
        if test_database_name and not self.is_in_memory_db(test_database_name):
            # Nothing has it open any more: the test database's connections are closed.
            Path(f"{test_database_name}{LOCK_SUFFIX}").unlink(missing_ok=True)


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    write_queue: WriteQueue | None = None
    # total_changes at the last checkpoint.
    checkpointed_at = 0

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if self.write_queue is not None:
            self.write_queue.close()
            self.write_queue = None
        database = conn_params["database"]
        queued = self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE")
        if queued and not self.is_in_memory_db() and not str(database).startswith("file:"):
            self.write_queue = WriteQueue(database=str(database))
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            self.checkpointed_at = 0
        return conn

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=QueuedCursor)
        cursor.queue = self.write_queue
        return cursor

    def _start_transaction_under_autocommit(self):
        queue = self.write_queue
        if queue is None or queue.held:
            return super()._start_transaction_under_autocommit()
        queue.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            queue.release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._queue_leave()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._queue_leave()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self.write_queue is not None:
                self.write_queue.close()
                self.write_queue = None

    def _queue_leave(self) -> None:
        """Leave the queue once SQLite's transaction is over (a failed COMMIT keeps it open),
        then checkpoint when due."""
        queue, conn = self.write_queue, self.connection
        if queue is None or not queue.held or (conn is not None and conn.in_transaction):
            return
        queue.release()
        if conn is not None and conn.total_changes - self.checkpointed_at >= CHECKPOINT_ROWS:
            self.checkpointed_at = conn.total_changes
            # PASSIVE: copies what no reader still needs, waits for nobody.
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
