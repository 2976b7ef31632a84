"""The per-process index knows it is current from the catalog's content stamp, across processes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.common.content_versions import CATALOG, content_changed
from verdicts.similar import index as similar_index
from verdicts.similar.selectors import tool_alternatives
from verdicts.similar.services import tool_embeddings_refresh
from verdicts.similar.tests.conftest import embedding_put, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def stamped(settings, django_capture_on_commit_callbacks):
    """The page cache on, so writes stamp the catalog, and each stamp taken as its write ends."""
    settings.PAGE_CACHE_ENABLED = True

    def write(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return write


@pytest.fixture
def pair(stamped):
    category = CategoryFactory()
    tool = ToolFactory(slug="tool", category=category)
    other = ToolFactory(slug="other", category=category)
    stamped(lambda: (embedding_put(tool, unit(1, 0)), embedding_put(other, unit(0, 1))))
    return tool, other


def process_switch(monkeypatch, index):
    """Make this process's index the one another process holds (None: a fresh process)."""
    monkeypatch.setattr(similar_index, "_index", index)


def test_a_warm_index_reads_the_stamp_and_no_embedding(pair, monkeypatch):
    process_switch(monkeypatch, None)
    similar_index.index_current()
    with CaptureQueriesContext(connection) as queries:
        similar_index.index_current()
    assert len(queries) == 1
    assert "common_contentversion" in queries[0]["sql"]
    assert "similar_toolembedding" not in queries[0]["sql"]


def test_a_tool_embedded_in_another_process_shows_on_the_next_request(
    pair, stamped, monkeypatch, fake_encoder
):
    tool = pair[0]
    process_switch(monkeypatch, None)
    assert [a.tool.slug for a in tool_alternatives(tool=tool)] == ["other"]
    first = similar_index._index
    # A second worker starts, builds its own index, and embeds a new tool.
    process_switch(monkeypatch, None)
    tool_alternatives(tool=tool)
    second = similar_index._index
    assert second is not first
    newcomer = ToolFactory(slug="newcomer", category=tool.category)
    stamped(lambda: tool_embeddings_refresh(tool_ids=[newcomer.pk]))
    # Back in the first worker: its next request sees the stamp moved.
    process_switch(monkeypatch, first)
    assert "newcomer" in [a.tool.slug for a in tool_alternatives(tool=tool)]
    assert similar_index._index is not first


def test_a_stamp_that_moved_for_other_content_keeps_the_index(pair, stamped, monkeypatch):
    process_switch(monkeypatch, None)
    built = similar_index.index_current()
    stamped(lambda: content_changed(CATALOG))
    with CaptureQueriesContext(connection) as queries:
        assert similar_index.index_current() is built
    # The stamp, then the index's version, which has not changed: no rebuild.
    assert len(queries) == 2
    with CaptureQueriesContext(connection) as queries:
        similar_index.index_current()
    assert len(queries) == 1


def test_without_the_page_cache_each_use_reads_the_version(pair, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = False
    process_switch(monkeypatch, None)
    similar_index.index_current()
    with CaptureQueriesContext(connection) as queries:
        similar_index.index_current()
    assert len(queries) == 1 and "similar_toolembedding" in queries[0]["sql"]
