"""The hot paths' cursor: PostgreSQL prepares its statements once per connection, and Django
logs and counts them as any other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verdicts.common.prepared import prepared_cursor

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT %s + 1, %s"


def _run(value: int) -> tuple:
    with prepared_cursor() as cursor:
        cursor.execute(STATEMENT, (value, "a"))
        return cursor.fetchone()


def test_its_statements_answer_and_are_counted():
    with CaptureQueriesContext(connection) as captured:
        assert _run(1) == (2, "a")
        assert _run(41) == (42, "a")
    assert len(captured) == 2


def test_postgresql_prepares_each_statement_once_per_connection():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite caches its own statements")
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        pytest.skip("DATABASE_PREPARED_STATEMENTS is off")
    _run(1)
    _run(2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
            ["SELECT $1 + 1, $2"],
        )
        assert cursor.fetchone() == (1,)
