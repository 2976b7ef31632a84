"""RSS and Atom feeds of new comparisons and new tools."""

import feedparser
import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


@pytest.fixture
def catalog():
    comparisons = ComparisonFactory.create_batch(3)
    ComparisonFactory(published_at=None, title="Draft pair")
    ToolFactory(name="Hidden tool", status=Tool.Status.DRAFT)
    return comparisons


@pytest.fixture
def fetch_feed(client, django_assert_num_queries):
    """Fetch a feed in one query and parse it, checking it is well-formed and of its version."""

    def fetch(*, path: str, version: str) -> feedparser.FeedParserDict:
        with django_assert_num_queries(1):
            response = client.get(path)
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        return feed

    return fetch


@pytest.mark.parametrize(
    ("path", "version"),
    [("/feeds/comparisons.rss", "rss20"), ("/feeds/comparisons.atom", "atom10")],
)
def test_comparison_feeds_parse_and_list_published_comparisons(fetch_feed, catalog, path, version):
    feed = fetch_feed(path=path, version=version)
    assert {entry.title for entry in feed.entries} == {c.title for c in catalog}
    for entry in feed.entries:
        assert entry.link.startswith("https://verdicts.example/compare/")
        assert entry.get("published_parsed") or entry.get("updated_parsed")
        assert entry.id


@pytest.mark.parametrize(
    ("path", "version"), [("/feeds/tools.rss", "rss20"), ("/feeds/tools.atom", "atom10")]
)
def test_tool_feeds_parse_and_hide_drafts(fetch_feed, catalog, path, version):
    feed = fetch_feed(path=path, version=version)
    assert len(feed.entries) == Tool.objects.published().count() == 8
    assert not any("Hidden tool" in entry.title for entry in feed.entries)
    assert all(entry.link.startswith("https://verdicts.example/tools/") for entry in feed.entries)
