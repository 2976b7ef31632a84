"""Stored reader pages: one copy for every reader without cookies, current after every write."""

import datetime
import gzip
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from verdicts.catalog.models import Comparison, PricingPlan, Tool
from verdicts.catalog.services import comparison_create, pricing_plan_update, tool_publish
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import review_create

COMPARISON = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
PAGES = ["/", COMPARISON, "/tools/claude-4-sonnet/", "/rankings/", "/api/tools/claude-4-sonnet"]


@pytest.fixture
def cached(settings, starter):
    settings.PAGE_CACHE_ENABLED = True
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()
    return starter


@pytest.fixture
def writes(django_capture_on_commit_callbacks):
    """Run each write's after-commit stamps, as a committed request would."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


@pytest.mark.parametrize("path", PAGES)
def test_a_second_reader_is_answered_from_the_store_with_one_query(
    cached, client, django_assert_num_queries, path
):
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = Client().get(path)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"] and "s-maxage=" in second["Cache-Control"]
    assert "stale-while-revalidate=" in second["Cache-Control"]
    assert not second.cookies and not first.cookies


def test_reader_pages_hold_no_token_and_set_no_cookie(cached, client):
    response = client.get(COMPARISON)
    assert b"csrfmiddlewaretoken" not in response.content
    assert "Set-Cookie" not in response.headers


def test_conditional_get_answers_304_without_the_body(cached, client):
    etag = client.get(COMPARISON)["ETag"]
    response = Client().get(COMPARISON, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_gzip_is_served_to_readers_who_accept_it(cached, client):
    plain = client.get(COMPARISON)
    packed = Client().get(COMPARISON, headers={"Accept-Encoding": "br;q=1.0, gzip;q=0.8"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"]


def test_a_reader_with_a_voter_cookie_gets_a_fresh_private_page(
    cached, client, django_assert_num_queries
):
    client.get(COMPARISON)
    voter = Client()
    voter.cookies["verdicts_voter"] = "someone"
    response = voter.get(COMPARISON)
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_htmx_fragments_are_stored_apart_from_the_page(cached, client):
    page = client.get("/search?q=claude")
    fragment = Client().get("/search?q=claude", headers={"HX-Request": "true"})
    again = Client().get("/search?q=claude")
    assert again.content == page.content
    assert fragment.status_code == 200


def _changed(client: Client, path: str, write) -> tuple[bytes, bytes]:
    before = client.get(path).content
    assert Client().get(path).content == before
    write()
    return before, Client().get(path).content


def test_a_new_review_shows_on_the_next_request(cached, client, writes):
    tool = Tool.objects.get(slug="claude-4-sonnet")
    persona = Persona.objects.get(slug="skeptic")

    def write():
        review_create(
            tool=tool, persona=persona, verdict="skip", body="A sentence only this test writes."
        )

    before, after = _changed(client, COMPARISON, lambda: writes(write))
    assert b"A sentence only this test writes." in after
    assert before != after


def test_a_price_change_shows_on_the_next_request(cached, client, writes):
    plan = PricingPlan.objects.filter(tool__slug="claude-4-sonnet").first()

    def write():
        pricing_plan_update(
            plan=plan,
            checked_on=timezone.localdate() + datetime.timedelta(days=1),
            prices={"price": Decimal("987.00")},
        )

    _, after = _changed(client, "/tools/claude-4-sonnet/", lambda: writes(write))
    assert b"987" in after


def test_publishing_a_tool_and_a_new_comparison_show_on_the_next_request(cached, client, writes):
    rival = Tool.objects.get(slug="claude-4-sonnet")
    paired = Comparison.objects.filter(tool_a=rival).values("tool_b")
    draft = (
        Tool.objects.published().exclude(pk__in=paired).exclude(pk=rival.pk).order_by("pk").first()
    )
    Tool.objects.filter(pk=draft.pk).update(status=Tool.Status.DRAFT)
    draft.refresh_from_db()

    def write():
        tool_publish(tool=draft)
        draft.refresh_from_db()
        if not Comparison.objects.filter(tool_a=rival, tool_b=draft).exists():
            comparison_create(tool_a=rival, tool_b=draft, published_at=timezone.now())

    before, after = _changed(client, "/", lambda: writes(write))
    assert draft.name.encode() in after
    assert before != after


def test_a_vote_shows_on_the_next_request(cached, client, writes):
    before = client.get(COMPARISON).content
    voter = Client()
    writes(lambda: voter.post("/votes/tools/claude-4-sonnet/", {"choice": "ship"}))
    after = Client().get(COMPARISON).content
    assert after != before


def test_a_vote_on_another_tool_leaves_the_comparison_stored(
    cached, client, writes, django_assert_num_queries
):
    before = client.get(COMPARISON).content
    voter = Client()
    writes(lambda: voter.post("/votes/tools/cursor/", {"choice": "ship"}))
    with django_assert_num_queries(1):
        assert Client().get(COMPARISON).content == before
    writes(lambda: voter.post("/votes/tools/smolvlm-3b/", {"choice": "ship"}))
    assert Client().get(COMPARISON).content != before
