"""The verdict-changes feeds: RSS and Atom, bounded, each item labelled as AI analysis."""

import feedparser
import pytest

from testkit.panel import DESCRIPTION, execute_all, review_answer
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.digest.selectors import FEED_LENGTH
from verdicts.panel.models import VerdictChange
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.factories import PersonaFactory, ReviewFactory

pytestmark = pytest.mark.django_db
FEEDS = [("/feeds/verdict-changes.rss", "rss20"), ("/feeds/verdict-changes.atom", "atom10")]


@pytest.fixture
def tool(db):
    return ToolFactory(slug="smolvlm-3b", name="SmolVLM-3B", description=DESCRIPTION)


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def fetch(client, django_assert_num_queries, path: str, version: str):
    with django_assert_num_queries(1):
        response = client.get(path)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    return feed


def review_run(script, tool, persona, verdict: str) -> None:
    script.default = lambda messages, info: review_answer("builder", verdict=verdict)
    run, _ = panel_run_create(tools=[tool], personas=[persona])
    execute_all(run)


@pytest.mark.parametrize(("path", "version"), FEEDS)
def test_a_flip_is_an_item_labelled_ai_analysis_with_what_changed(
    client, django_assert_num_queries, script, builder, tool, path, version
):
    review_run(script, tool, builder, "skip")
    Tool.objects.filter(pk=tool.pk).update(licence="MIT")
    review_run(script, tool, builder, "ship")
    review = VerdictChange.objects.get().review

    feed = fetch(client, django_assert_num_queries, path, version)
    [entry] = feed.entries
    assert entry.title == "Builder now says ship on SmolVLM-3B (was skip)"
    assert entry.link == f"https://verdicts.example/tools/smolvlm-3b/#review-{review.pk}"
    assert "crossed one half" in entry.summary
    assert "What changed in the dossier: licence: not stated → MIT." in entry.summary
    assert "AI analysis, not a person" in entry.summary
    assert "AI analysis" in feed.feed.get("subtitle", feed.feed.get("description", ""))


@pytest.mark.parametrize(("path", "version"), FEEDS)
def test_the_feed_is_bounded_and_hides_unpublished_tools(
    client, django_assert_num_queries, path, version
):
    persona = PersonaFactory(name="Skeptic")
    draft = ToolFactory(status=Tool.Status.DRAFT)
    for each in [*ToolFactory.create_batch(FEED_LENGTH + 1), draft]:
        review = ReviewFactory(tool=each, persona=persona, verdict="skip", model_id="m")
        VerdictChange.objects.create(
            review=review,
            tool=each,
            persona=persona,
            verdict_before="ship",
            verdict_after="skip",
            ships_before=1,
            total_before=1,
            ships_after=0,
            total_after=1,
        )

    feed = fetch(client, django_assert_num_queries, path, version)
    assert len(feed.entries) == FEED_LENGTH
    assert not any(f" on {draft.name} (" in entry.title for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == FEED_LENGTH
    # No snapshot was kept for these reviews: the item says so rather than guessing.
    assert "was not recorded" in feed.entries[0].summary
