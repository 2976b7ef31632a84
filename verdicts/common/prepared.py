"""A cursor for the statements run on every request of a kind, which PostgreSQL then parses
and plans once per connection instead of once per request: a vote's, and a stored page's
stamp read.

Django's PostgreSQL cursors bind parameters on the client (the statement text carries the
values), which never prepares: each vote's statements were planned afresh, a third of the
backend's time for a vote, and planning the comparison page's stamp read cost ~0.9 ms of
backend CPU against ~0.09 ms to run it prepared. This cursor binds on the server, so psycopg
prepares each statement on its first run (`prepare_threshold` 0, from settings.py); with
DATABASE_PREPARED_STATEMENTS off (a pooler that cannot hold them) it is Django's own cursor,
as it is on SQLite. One cursor serves each connection; Django's wrapper around it logs and
counts its statements.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor whose statements PostgreSQL prepares, when the settings allow."""
    # Looked up once: each attribute of the `connection` proxy is a thread-local lookup.
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        with db.cursor() as cursor:
            yield cursor
        return
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    kept = getattr(db, "_verdicts_prepared_cursor", None)
    # Made once per connection: making and closing one per statement costs more than running
    # a prepared statement (about 40 us of client CPU).
    if kept is None or kept.connection is not db.connection or kept.closed:
        from psycopg import Cursor

        with db.wrap_database_errors:
            kept = Cursor(db.connection)
        db._verdicts_prepared_cursor = kept
    # Not closed on exit: the next statement reuses it. Django's wrapper logs and counts.
    yield db.make_debug_cursor(kept) if db.queries_logged else db.make_cursor(kept)
