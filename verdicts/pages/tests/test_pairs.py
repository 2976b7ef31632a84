"""Compare any two: the picker, the redirect to a published pair, the facts-only page, errors."""

import re

import pytest
from django.urls import reverse

from testkit.ingest import fact_source_add
from testkit.pages import REFERENCE, text_of
from verdicts.catalog.models import Tool
from verdicts.panel.tests.factories import PersonaFactory, ReviewFactory

pytestmark = pytest.mark.django_db
PAIR = reverse("pages:compare-pair")


def pair(client, a: str, b: str):
    return client.get(PAIR, {"a": a, "b": b})


@pytest.mark.parametrize("path", ["/", "/compare/", "/tools/gpt-4o/"])
def test_the_picker_is_a_plain_get_form_on_home_tool_and_index_pages(client, starter, path):
    html = client.get(path).content.decode()
    assert f'action="{PAIR}" method="get"' in html
    assert re.search(r'<input id="pick-a"[^>]* name="a" list="pick-tools"', html)
    assert re.search(r'<input id="pick-b"[^>]* name="b" list="pick-tools"', html)
    assert '<option value="llama-3-3-70b">Llama 3.3 70B</option>' in html


def test_the_tool_page_picker_starts_from_that_tool(client, starter):
    html = client.get("/tools/gpt-4o/").content.decode()
    assert re.search(r'<input id="pick-a"[^>]* name="a"[^>]* value="gpt-4o"', html)
    assert re.search(r'<input id="pick-b"[^>]* name="b"[^>]* value=""', html)


@pytest.mark.parametrize(
    ("a", "b"), [("claude-4-sonnet", "smolvlm-3b"), ("smolvlm-3b", "Claude 4 Sonnet")]
)
def test_a_published_pair_redirects_to_its_comparison_in_either_order(client, starter, a, b):
    response = pair(client, a, b)
    assert response.status_code == 302
    assert response["Location"] == REFERENCE


def test_an_unreviewed_pair_shows_the_facts_side_by_side_marked_as_such(client, starter):
    response = pair(client, "GPT-4o", "llama-3-3-70b")
    assert response.status_code == 200
    text = text_of(response)
    assert "Not yet reviewed as a pair." in text
    assert "GPT-4o and Llama 3.3 70B" in text
    page = response.context["page"]
    assert [side.tool.slug for side in page.sides] == ["gpt-4o", "llama-3-3-70b"]
    html = response.content.decode()
    assert '<th scope="col">GPT-4o</th><th scope="col">Llama 3.3 70B</th>' in html
    assert '<th scope="row">Context window</th>' in html
    # "context_window" and "context" are one row, written one way.
    context = next(row for row in page.specs if row.key == "context_window")
    assert [cell.value for cell in context.cells] == ["128K tokens", "128K tokens"]
    assert "not stated" in text
    # Prices, votes and each tool's own reviews, labelled as AI analysis where they are.
    assert "Entry" in text and "Community" in text
    assert "Prices and plans" in text and "OpenAI API" in text
    for slug in ("gpt-4o", "llama-3-3-70b"):
        assert f'action="/votes/tools/{slug}/"' in html
    assert "Each tool's own reviews" in text and "AI analysis" in text
    assert 'name="robots" content="noindex"' in html
    assert "Queue this pair for the panel" not in text


@pytest.mark.parametrize(
    ("a", "b", "status", "error"),
    [
        ("", "", 400, "Choose two tools to compare."),
        ("gpt-4o", "", 400, "Choose two tools to compare."),
        ("gpt-4o", "GPT-4o", 400, "Choose two different tools"),
        ("gpt-4o", "no-such-tool", 404, "No published tool is called “no-such-tool”."),
    ],
)
def test_a_bad_pick_says_what_is_wrong_in_one_line(client, starter, a, b, status, error):
    response = pair(client, a, b)
    assert response.status_code == status
    assert error in text_of(response)
    assert response.context["page"] is None
    # The picker is there again, holding what was typed.
    assert re.search(rf'<input id="pick-b"[^>]* value="{b}"', response.content.decode())


def test_an_unpublished_tool_cannot_be_picked(client, starter):
    Tool.objects.filter(slug="llama-3-3-70b").update(status=Tool.Status.DRAFT)
    response = pair(client, "gpt-4o", "llama-3-3-70b")
    assert response.status_code == 404
    assert "No published tool is called “llama-3-3-70b”." in text_of(response)


def test_the_pair_page_costs_a_fixed_number_of_queries(client, starter, django_assert_num_queries):
    with django_assert_num_queries(7):
        pair(client, "gpt-4o", "llama-3-3-70b")
    gpt, llama = Tool.objects.filter(slug__in=["gpt-4o", "llama-3-3-70b"]).order_by("slug")
    for n in range(5):
        fact_source_add(gpt, f"fact_{n}", "value")
        fact_source_add(llama, f"fact_{n}", "value")
    for n in range(3):
        ReviewFactory(tool=gpt, persona=PersonaFactory(slug=f"extra-{n}", position=10 + n))
    with django_assert_num_queries(7):
        pair(client, "gpt-4o", "llama-3-3-70b")


def test_a_redirect_costs_three_queries(client, starter, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert pair(client, "claude-4-sonnet", "smolvlm-3b").status_code == 302


def test_the_comparison_page_carries_the_specifications(client, starter):
    page = client.get(REFERENCE).context["page"]
    rows = {row.key: row for row in page.specs}
    assert [cell.value for cell in rows["context_window"].cells] == ["1M tokens", ""]
    assert [cell.value for cell in rows["parameters"].cells] == ["", "3B"]
    assert rows["licence"].cells[1].value == "Apache-2.0"
