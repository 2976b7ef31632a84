"""Live badges, the snippets to embed them, their API, and the home page's cards."""

import re
from html import unescape

import pytest
from django.core.cache import caches
from django.test import Client

from testkit.pages import text_of
from verdicts.catalog.models import Tool
from verdicts.panel.models import Persona, Review
from verdicts.panel.services.editorial import review_create
from verdicts.votes.models import ToolVoteTally

pytestmark = pytest.mark.django_db

SMOL = "/badge/smolvlm-3b.svg"
PAIR = "/badge/compare/claude-4-sonnet-vs-smolvlm-3b.svg"


def svg_text(response) -> str:
    return response.content.decode()


def test_a_tool_badge_is_an_accessible_svg_of_the_current_panel_figure(client, starter):
    response = client.get(SMOL)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = svg_text(response)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in svg
    title = re.search(r"<title>(.*?)</title>", svg).group(1)
    assert title == (
        "AI panel (AI-written reviews) on SmolVLM-3B: 3 of 4 say ship, reviewed 17 Nov 2026"
    )
    assert ">AI panel</text>" in svg
    assert ">3 of 4 say ship, reviewed 17 Nov 2026</text>" in svg


def test_a_tool_nobody_reviewed_says_so(client, starter):
    Review.objects.filter(tool__slug="ollama").delete()
    svg = svg_text(client.get("/badge/ollama.svg"))
    assert ">not yet reviewed</text>" in svg
    assert "<title>AI panel (AI-written reviews) on Ollama: not yet reviewed</title>" in svg


def test_a_comparison_badge_shows_both_tools(client, starter):
    svg = svg_text(client.get(PAIR))
    assert (
        ">Claude 4 Sonnet 4 of 4 · SmolVLM-3B 3 of 4 say ship, reviewed 17 Nov 2026</text>" in svg
    )
    assert 'role="img"' in svg and "<title>AI panel (AI-written reviews) on Claude 4" in svg


def test_unknown_or_unpublished_badges_are_404(client, starter):
    Tool.objects.filter(slug="cursor").update(status=Tool.Status.DRAFT)
    assert client.get("/badge/no-such-tool.svg").status_code == 404
    assert client.get("/badge/cursor.svg").status_code == 404
    assert client.get("/badge/compare/no-vs-such.svg").status_code == 404


def test_badges_revalidate_with_an_etag(client, starter, django_assert_num_queries):
    # The tool, its current reviews.
    with django_assert_num_queries(2):
        response = client.get(SMOL)
    assert "public" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    again = client.get(SMOL, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.fixture
def cached(settings, starter):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    return starter


def test_a_new_review_changes_the_stored_badge_on_the_next_request(
    cached, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = client.get(SMOL)
    with django_assert_num_queries(1):  # stored: one indexed query says it is current
        stored = Client().get(SMOL)
    assert stored.content == first.content
    assert "s-maxage=" in stored["Cache-Control"] and stored["ETag"]
    pair_before = Client().get(PAIR).content

    # A vote is not the panel's: the stored badge stays.
    tool = Tool.objects.get(slug="smolvlm-3b")
    with django_capture_on_commit_callbacks(execute=True):
        ToolVoteTally.objects.update_or_create(tool=tool, defaults={"ship": 5, "skip": 0})
    with django_assert_num_queries(1):
        Client().get(SMOL)

    operator = Persona.objects.get(slug="operator")
    with django_capture_on_commit_callbacks(execute=True):
        review_create(tool=tool, persona=operator, verdict="ship", body="Ship, after all.")
    after = Client().get(SMOL)
    assert ">4 of 4 say ship, reviewed " in svg_text(after)
    assert after["ETag"] != first["ETag"]
    assert Client().get(PAIR).content != pair_before
    assert "SmolVLM-3B 4 of 4" in svg_text(Client().get(PAIR))


def test_the_api_gives_the_badge_data_and_the_same_snippets_as_the_tool_page(
    client, starter, settings
):
    settings.SITE_URL = "https://verdicts.example"
    data = client.get("/api/badges/tools/smolvlm-3b").json()
    assert data["label"] == "AI panel"
    assert data["text"] == "3 of 4 say ship, reviewed 17 Nov 2026"
    assert data["last_reviewed"] == "2026-11-17"
    assert data["sides"][0]["tool"] == "smolvlm-3b"
    assert data["sides"][0]["panel"]["count"] == 3 and data["sides"][0]["panel"]["total"] == 4
    assert data["svg_url"] == "https://verdicts.example/badge/smolvlm-3b.svg"
    assert data["markdown"] == (
        "[![AI panel verdict on SmolVLM-3B (Verdicts)]"
        "(https://verdicts.example/badge/smolvlm-3b.svg)]"
        "(https://verdicts.example/tools/smolvlm-3b/)"
    )
    assert data["html"] == (
        '<a href="https://verdicts.example/tools/smolvlm-3b/">'
        '<img src="https://verdicts.example/badge/smolvlm-3b.svg"'
        ' alt="AI panel verdict on SmolVLM-3B (Verdicts)"></a>'
    )
    page = client.get("/tools/smolvlm-3b/").content.decode()
    fields = dict(re.findall(r'<textarea id="badge-(\w+)"[^>]*>(.*?)</textarea>', page, re.S))
    assert unescape(fields["html"]) == data["html"]
    assert unescape(fields["markdown"]) == data["markdown"]

    pair = client.get("/api/badges/comparisons/claude-4-sonnet-vs-smolvlm-3b").json()
    assert [side["tool"] for side in pair["sides"]] == ["claude-4-sonnet", "smolvlm-3b"]
    assert pair["svg_url"].endswith(PAIR)
    assert client.get("/api/badges/tools/no-such-tool").status_code == 404
    assert client.get("/api/badges/comparisons/no-vs-such").status_code == 404


def test_home_cards_show_both_shares_entry_tiers_and_the_date(client, starter):
    text = text_of(client.get("/"))
    assert (
        "Claude 4 Sonnet vs SmolVLM-3B"
        " Claude 4 Sonnet AI panel: 4 of 4 say ship · Entry: Paid"
        " SmolVLM-3B AI panel: 3 of 4 say ship · Entry: Free"
    ) in text
    html = client.get("/").content.decode()
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d{1,2} \w{3} \d{4}</time>', html)
