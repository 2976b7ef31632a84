"""The stamp read on PostgreSQL: one prepared statement per connection, planned once, still
seen by Django's query counting, never holding a stale answer, and off when OPTIONS say so."""

import pytest
from django.db import connection, transaction

from verdicts.common.content_versions import content_current, content_last_changed
from verdicts.common.models import ContentVersion

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"),
]
SCOPES = ["shelf:a", "shelf:b"]


def prepared_runs() -> list[int]:
    """How often each prepared stamp read on this connection has run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%common_contentversion%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_stamp_read_is_prepared_once_and_runs_again_from_it(django_assert_num_queries):
    ContentVersion.objects.create(scope="shelf:a", changed_at=100.0)
    with django_assert_num_queries(1):
        assert content_last_changed(scopes=SCOPES) == 100.0
    assert content_last_changed(scopes=SCOPES) == 100.0
    assert content_last_changed(scopes=SCOPES) == 100.0
    assert prepared_runs() == [3]


def test_a_stamp_written_after_the_read_was_prepared_is_seen_by_the_next_read():
    ContentVersion.objects.create(scope="shelf:a", changed_at=100.0)
    assert content_current(started=150.0, scopes=SCOPES)
    ContentVersion.objects.create(scope="shelf:b", changed_at=200.0)
    assert not content_current(started=150.0, scopes=SCOPES)
    ContentVersion.objects.filter(scope="shelf:b").update(changed_at=300.0)
    assert content_last_changed(scopes=SCOPES) == 300.0


@pytest.mark.django_db(transaction=True)
def test_the_read_is_prepared_again_on_a_new_connection():
    ContentVersion.objects.create(scope="shelf:a", changed_at=100.0)
    assert content_last_changed(scopes=SCOPES) == 100.0
    first = connection.connection
    connection.close()
    assert content_last_changed(scopes=SCOPES) == 100.0
    assert connection.connection is not first
    assert prepared_runs() == [1]
    # A rollback makes psycopg deallocate what it prepared: the next read prepares it again.
    with pytest.raises(RuntimeError), transaction.atomic():
        ContentVersion.objects.create(scope="shelf:b", changed_at=900.0)
        raise RuntimeError("the write fails")
    assert prepared_runs() == []
    assert content_last_changed(scopes=SCOPES) == 100.0
    assert prepared_runs() == [1]


def test_without_prepared_statements_the_read_uses_djangos_own_cursor(monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    ContentVersion.objects.create(scope="shelf:a", changed_at=100.0)
    assert content_last_changed(scopes=SCOPES) == 100.0
    assert prepared_runs() == []
