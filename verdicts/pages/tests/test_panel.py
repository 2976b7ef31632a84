"""The panel index and the persona pages."""

import pytest
from django.core.cache import caches

from testkit.pages import text_of
from verdicts.panel.models import Persona, Review, Verdict

pytestmark = pytest.mark.django_db


def test_panel_pages_show_charters_and_records(client, starter, django_assert_num_queries):
    # The personas, and their counts (kept across requests when the page cache is on).
    with django_assert_num_queries(2):
        response = client.get("/panel/")
    text = text_of(response)
    for name in ("Builder", "Skeptic", "Futurist", "Operator"):
        assert name in text
    # The persona, its record and a page of reviews; the reviews are never counted.
    with django_assert_num_queries(3):
        response = client.get("/panel/operator/")
    text = text_of(response)
    assert "Charter" in text and "Never says" in text and "The questions it asks" in text
    record = response.context["page"].record
    assert record.share.total == 20
    assert "SmolVLM-3B" in text


def test_inactive_personas_leave_the_panel_and_its_figures(client, starter):
    Persona.objects.filter(slug="operator").update(is_active=False)
    assert client.get("/panel/operator/").status_code == 404
    text = text_of(client.get("/compare/claude-4-sonnet-vs-smolvlm-3b/"))
    assert "Panel ship 100% 3 of 3 ship" in text


@pytest.fixture
def live_figures(settings):
    """The page cache on, so kept figures are kept; an unsigned voter cookie bypasses it."""
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()


def test_kept_panel_figures_follow_a_changed_review(
    client, starter, live_figures, django_capture_on_commit_callbacks
):
    client.cookies["verdicts_voter"] = "unsigned"
    operator = Persona.objects.get(slug="operator")
    before = next(p for p in client.get("/panel/").context["page"].personas if p == operator)
    record = client.get("/panel/operator/").context["page"].record
    review = Review.objects.current().filter(persona=operator).exclude(verdict=Verdict.SHIP)[0]
    with django_capture_on_commit_callbacks(execute=True):
        review.verdict = Verdict.SHIP
        review.save()
    after = next(p for p in client.get("/panel/").context["page"].personas if p == operator)
    assert (after.review_count, after.ship_count) == (before.review_count, before.ship_count + 1)
    changed = client.get("/panel/operator/").context["page"].record
    assert changed.share.count == record.share.count + 1


def test_persona_reviews_page_newest_first(client, starter):
    reviews = client.get("/panel/operator/").context["page"].reviews.object_list
    ids = [review.pk for review in reviews]
    assert ids == sorted(ids, reverse=True) and len(ids) == 20
