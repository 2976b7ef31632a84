"""RSS and Atom feeds of new comparisons and new tools."""

import feedparser
import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.services.editorial import review_create
from verdicts.panel.tests.factories import PersonaFactory

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
    """Fetch a feed in its queries (one; a comparison feed's reviews one more) and parse it,
    checking it is well-formed and of its version."""

    def fetch(*, path: str, version: str, queries: int = 1) -> feedparser.FeedParserDict:
        with django_assert_num_queries(queries):
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
    feed = fetch_feed(path=path, version=version, queries=2)
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


@pytest.mark.parametrize(
    ("path", "version"),
    [("/feeds/comparisons.rss", "rss20"), ("/feeds/comparisons.atom", "atom10")],
)
def test_a_comparison_item_says_its_reviews_are_ai_analysis_or_the_editors(
    fetch_feed, path, version
):
    comparison = ComparisonFactory()
    tool_a, tool_b = comparison.tools
    persona = PersonaFactory()
    review_create(
        tool=tool_a,
        persona=persona,
        verdict="ship",
        body="Ship.",
        model_id="http://10.1.2.3:8080/v1#qwen2.5-7b",
        prompt_version="review.1",
    )
    review_create(tool=tool_b, persona=persona, verdict="skip", body="Skip.")
    [entry] = fetch_feed(path=path, version=version, queries=2).entries
    assert entry.summary.endswith(
        "Panel: 1 AI review (AI analysis by reviewer personas, written by the model "
        "qwen2.5-7b) and 1 editorial review by the Verdicts editors."
    )
    assert "10.1.2.3" not in entry.summary
