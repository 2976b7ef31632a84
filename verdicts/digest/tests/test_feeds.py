from xml.etree import ElementTree

import feedparser
import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.compare.tests.factories import ComparisonFactory

pytestmark = pytest.mark.django_db
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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


def test_sitemap_lists_public_pages_at_the_site_url(client, catalog, django_assert_num_queries):
    # A count and a page for each database-backed section, however big the catalog.
    with django_assert_num_queries(8):
        client.get("/sitemap.xml")
    catalog += ComparisonFactory.create_batch(5)
    with django_assert_num_queries(8):
        response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert response.status_code == 200
    locations = {
        node.text for node in ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}loc")
    }
    assert "https://verdicts.example/" in locations
    assert "https://verdicts.example/digest/" in locations
    for comparison in catalog:
        assert f"https://verdicts.example{comparison.get_absolute_url()}" in locations
    assert not any("draft-pair" in loc or "/admin/" in loc for loc in locations)


def test_robots_points_at_the_sitemap_and_keeps_token_links_out(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "Sitemap: https://verdicts.example/sitemap.xml" in lines
    assert "Disallow: /digest/unsubscribe/" in lines
    assert "Disallow: /admin/" in lines
