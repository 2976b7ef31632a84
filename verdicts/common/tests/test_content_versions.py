"""Content stamps: the stamp table and the sources apps register, read as one latest stamp."""

import pytest

from verdicts.common import content_versions
from verdicts.common.content_versions import (
    content_current,
    content_last_changed,
    content_stamps_source_add,
)
from verdicts.common.models import ContentVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(monkeypatch):
    """The registered sources, emptied for the test and restored after it."""
    monkeypatch.setattr(content_versions, "_sources", [])
    return content_versions._sources


def test_the_latest_of_the_table_and_every_source_in_one_query(sources, django_assert_num_queries):
    ContentVersion.objects.create(scope="shelf:a", changed_at=100.0)

    def kept_elsewhere(scopes: list[str]) -> list[tuple[str, list]]:
        return [("SELECT %s AS changed_at", [250.0])] if "shelf:b" in scopes else []

    content_stamps_source_add(kept_elsewhere)
    content_stamps_source_add(kept_elsewhere)
    assert sources == [kept_elsewhere]
    with django_assert_num_queries(1):
        assert content_last_changed(scopes=["shelf:a", "shelf:b"]) == 250.0
    assert content_last_changed(scopes=["shelf:a"]) == 100.0
    assert content_last_changed(scopes=["shelf:c"]) == 0.0
    assert content_current(started=200.0, scopes=["shelf:a"])
    assert not content_current(started=200.0, scopes=["shelf:a", "shelf:b"])
