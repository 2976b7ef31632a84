import re

import pytest
from django.urls import reverse

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import PricingPlanFactory, ToolFactory
from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.panel.models import Persona
from verdicts.panel.services import review_create
from verdicts.panel.tests.factories import ReviewFactory

REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
MAX_PAGE_BYTES = 60 * 1024


def text_of(response) -> str:
    """The page's visible text with tags stripped and white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|title|desc)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def grow_catalog(extra: int) -> None:
    """More tools, plans, reviews and comparisons: none may change a page's query count."""
    personas = list(Persona.objects.all())
    for _ in range(extra):
        tool_a, tool_b = ToolFactory(), ToolFactory()
        for tool in (tool_a, tool_b):
            PricingPlanFactory(tool=tool)
            for persona in personas:
                ReviewFactory(tool=tool, persona=persona)
        ComparisonFactory(tool_a=tool_a, tool_b=tool_b)


@pytest.mark.django_db
def test_reference_comparison_shows_both_tools_side_by_side(client, starter):
    response = client.get(REFERENCE)
    assert response.status_code == 200
    text = text_of(response)
    assert "AI tool comparison" in text
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text
    assert "Which one should you ship with?" in text
    assert text.count("Developer Tools") >= 2
    assert "Panel ship 100% 4 of 4 ship" in text
    assert "Panel ship 75% 3 of 4 ship" in text
    assert text.count("Community — no votes yet") == 2
    assert "Entry Paid" in text and "Entry Free" in text
    assert "Reviewer scorecard" in text and "Reviewer split" in text
    assert "Weekly AI Tool Verdicts" in text


@pytest.mark.django_db
def test_reference_comparison_scorecard_has_eight_reviews_and_names_the_split(client, starter):
    response = client.get(REFERENCE)
    html = response.content.decode()
    assert html.count('<div class="review verdict-') == 8
    assert html.count('class="verdict verdict-ship"') == 7
    assert html.count('class="verdict verdict-skip"') == 1
    page = response.context["page"]
    assert [persona.slug for persona in page.split_personas] == ["operator"]
    assert [row.persona.slug for row in page.scorecard] == [
        "builder",
        "skeptic",
        "futurist",
        "operator",
    ]
    assert (
        "<svg" in html and "Operator: ship for Claude 4 Sonnet, skip for SmolVLM-3B (split)" in html
    )


@pytest.mark.django_db
def test_panel_figures_are_computed_from_current_reviews(client, starter):
    smol = Tool.objects.get(slug="smolvlm-3b")
    operator = Persona.objects.get(slug="operator")
    review_create(tool=smol, persona=operator, verdict="ship", body="Changed my mind.")
    text = text_of(client.get(REFERENCE))
    assert "Panel ship 100% 4 of 4 ship" in text
    assert "75%" not in text


@pytest.mark.django_db
def test_overlapping_panel_intervals_are_called_too_close(client, starter):
    text = text_of(client.get(REFERENCE))
    assert "too close to call" in text


@pytest.mark.django_db
def test_reference_page_is_small_and_well_described(client, starter):
    response = client.get(REFERENCE)
    assert len(response.content) < MAX_PAGE_BYTES
    html = response.content.decode()
    assert "<title>Claude 4 Sonnet vs SmolVLM-3B" in html
    assert '<meta name="description"' in html
    assert '<meta property="og:title" content="Claude 4 Sonnet vs SmolVLM-3B' in html
    assert 'rel="canonical"' in html
    assert "<h1>" in html and 'lang="en"' in html


@pytest.mark.django_db
def test_reversed_slug_redirects_to_the_comparison(client, starter):
    response = client.get("/compare/smolvlm-3b-vs-claude-4-sonnet/")
    assert response.status_code == 301
    assert response["Location"] == REFERENCE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/compare/nope-vs-nothing/", "/compare/nope/", "/tools/nope/", "/panel/nope/"]
)
def test_unknown_slugs_get_the_sites_own_404(client, starter, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_unpublished_tools_and_their_comparisons_are_not_shown(client, starter):
    Tool.objects.filter(slug="smolvlm-3b").update(status=Tool.Status.DRAFT)
    assert client.get(REFERENCE).status_code == 404
    assert client.get("/tools/smolvlm-3b/").status_code == 404
    assert "SmolVLM" not in text_of(client.get("/"))
    assert "SmolVLM-3B" not in text_of(client.get("/search", {"q": "SmolVLM"}))


@pytest.mark.django_db
def test_comparison_page_costs_a_fixed_number_of_queries(
    client, starter, django_assert_num_queries
):
    with django_assert_num_queries(6):
        client.get(REFERENCE)
    grow_catalog(5)
    with django_assert_num_queries(6):
        assert client.get(REFERENCE).status_code == 200


@pytest.mark.django_db
def test_home_lists_latest_comparisons_and_categories(client, starter, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/")
    text = text_of(response)
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text
    assert "Coding Assistants" in text
    assert 'action="/search"' in response.content.decode()
    grow_catalog(3)
    with django_assert_num_queries(2):
        client.get("/")


@pytest.mark.django_db
def test_home_without_comparisons_says_how_to_load_them(client):
    assert "verdicts init" in text_of(client.get(reverse("home")))
