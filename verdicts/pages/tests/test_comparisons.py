"""The home page, the comparison index and the comparison pages."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from testkit.pages import REFERENCE, grow_catalog, text_of
from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.pages.read_models.comparisons import review_text_split
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import review_create
from verdicts.panel.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db
MAX_PAGE_BYTES = 60 * 1024


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


def test_panel_figures_are_computed_from_current_reviews(client, starter):
    smol = Tool.objects.get(slug="smolvlm-3b")
    operator = Persona.objects.get(slug="operator")
    review_create(tool=smol, persona=operator, verdict="ship", body="Changed my mind.")
    text = text_of(client.get(REFERENCE))
    assert "Panel ship 100% 4 of 4 ship" in text
    assert "75%" not in text


def test_overlapping_panel_intervals_are_called_too_close(client, starter):
    text = text_of(client.get(REFERENCE))
    assert "too close to call" in text


def test_reference_page_is_small_and_well_described(client, starter):
    response = client.get(REFERENCE)
    assert len(response.content) < MAX_PAGE_BYTES
    html = response.content.decode()
    assert "<title>Claude 4 Sonnet vs SmolVLM-3B" in html
    assert '<meta name="description"' in html
    assert '<meta property="og:title" content="Claude 4 Sonnet vs SmolVLM-3B' in html
    assert 'rel="canonical"' in html
    assert "<h1>" in html and 'lang="en"' in html


def test_reversed_slug_redirects_to_the_comparison(client, starter):
    response = client.get("/compare/smolvlm-3b-vs-claude-4-sonnet/")
    assert response.status_code == 301
    assert response["Location"] == REFERENCE


def test_unpublished_tools_and_their_comparisons_are_not_shown(client, starter):
    Tool.objects.filter(slug="smolvlm-3b").update(status=Tool.Status.DRAFT)
    assert client.get(REFERENCE).status_code == 404
    assert client.get("/tools/smolvlm-3b/").status_code == 404
    assert "SmolVLM" not in text_of(client.get("/"))
    assert "SmolVLM-3B" not in text_of(client.get("/search", {"q": "SmolVLM"}))


def test_comparison_page_costs_a_fixed_number_of_queries(
    client, starter, django_assert_num_queries
):
    # 6, the held note (verdicts/panel/steering/templatetags/held.py) and the specifications'
    # sources
    with django_assert_num_queries(8):
        client.get(REFERENCE)
    grow_catalog(5)
    with django_assert_num_queries(8):
        assert client.get(REFERENCE).status_code == 200


def test_home_lists_latest_comparisons_and_categories(client, starter, django_assert_num_queries):
    # The comparisons, their tools' plans and panel reviews, the categories, the picker's tools.
    with django_assert_num_queries(5):
        response = client.get("/")
    text = text_of(response)
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text
    assert "Coding Assistants" in text
    assert 'action="/search"' in response.content.decode()
    grow_catalog(3)
    with django_assert_num_queries(5):
        client.get("/")


def test_home_without_comparisons_says_how_to_load_them(client):
    assert "verdicts init" in text_of(client.get(reverse("pages:home")))


def test_comparison_index_lists_published_comparisons_with_both_tools_and_date(client, starter):
    reference = Comparison.objects.get(slug="claude-4-sonnet-vs-smolvlm-3b")
    ComparisonFactory(published_at=None, title="Draft pair")
    Tool.objects.filter(slug="cursor").update(status=Tool.Status.DRAFT)
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert f'href="{REFERENCE}"' in html
    for tool in reference.tools:
        assert f'href="{tool.get_absolute_url()}"' in html
    assert (
        f"Claude 4 Sonnet vs SmolVLM-3B Claude 4 Sonnet and SmolVLM-3B · Developer Tools · "
        f"{reference.published_at:%-d %b %Y}" in text
    )
    assert "Draft pair" not in text and "Cursor" not in text
    published = Comparison.objects.published()
    assert len(response.context["page"].object_list) == published.count() < 10


def test_comparison_index_is_newest_first_in_a_fixed_number_of_queries(
    client, starter, django_assert_num_queries
):
    # The page and one row past it, never a count of every comparison; the picker's tools.
    with django_assert_num_queries(2):
        client.get("/compare/")
    grow_catalog(45)
    newest = ComparisonFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    with django_assert_num_queries(2):
        response = client.get("/compare/")
    assert response.context["page"].object_list[0] == newest
    assert "Page 1 Next" in text_of(response)
    with django_assert_num_queries(2):
        response = client.get("/compare/", {"page": 2})
    assert len(response.context["page"].object_list) == 10 + 45 + 1 - 50
    assert "Previous Page 2" in text_of(response)
    assert 'rel="next"' not in response.content.decode()


def test_comparison_index_is_described_like_other_pages(client, starter, settings):
    settings.SITE_URL = "https://verdicts.example"
    html = client.get("/compare/").content.decode()
    assert "<title>AI tool comparisons" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="https://verdicts.example/compare/">' in html


def test_empty_comparison_index_says_how_to_load_comparisons(client, db):
    assert "verdicts init" in text_of(client.get("/compare/"))


def test_model_reviews_show_their_provenance_at_no_extra_queries(client):
    comparison = ComparisonFactory()
    personas = [PersonaFactory(), PersonaFactory()]
    for tool in comparison.tools:
        for persona in personas:
            review_create(tool=tool, persona=persona, verdict="ship", body="Editors say ship.")
    url = comparison.get_absolute_url()
    with CaptureQueriesContext(connection) as editorial_only:
        text = text_of(client.get(url))
    assert text.count("Written by Verdicts editorial") == 4

    for tool in comparison.tools:
        for persona in personas:
            review_create(
                tool=tool,
                persona=persona,
                verdict="skip",
                body="The model says skip.",
                author=f"{persona.name} (panel)",
                model_id="http://10.1.2.3:8080/v1#qwen2.5-7b",
                prompt_version="review.0123456789",
                flags=[{"kind": "unverified_quote", "quote": "Made up."}],
            )
    with CaptureQueriesContext(connection) as model_written:
        response = client.get(url)
    text = text_of(response)
    assert len(model_written) == len(editorial_only)
    assert text.count("qwen2.5-7b") == 5, "named once per review, once among the panel's models"
    assert text.count("AI reviewer Written by the model qwen2.5-7b") == 4
    assert "Reviewed by the model qwen2.5-7b." in text
    assert text.count("Written by the model qwen2.5-7b, prompt review.0123456789") == 4
    assert text.count("1 quote not found in the dossier") == 4
    assert "10.1.2.3" not in response.content.decode()
    assert "Written by Verdicts editorial" not in text


@pytest.mark.parametrize(
    ("body", "takeaway", "rest"),
    [
        ("Ship it. The rest follows.", "Ship it.", "The rest follows."),
        ("FLUX.1 loads in one call, e.g. on a laptop. 12GB is enough.", None, "12GB is enough."),
        ("One sentence, no fold", "One sentence, no fold", ""),
    ],
)
def test_a_review_opens_with_its_first_sentence(body, takeaway, rest):
    text = review_text_split(body=body)
    assert text.takeaway == (takeaway or "FLUX.1 loads in one call, e.g. on a laptop.")
    assert text.rest == rest


def test_the_comparison_page_reads_in_decision_order_with_a_way_to_each_section(client, starter):
    html = client.get(REFERENCE).content.decode()
    ids = ["figures", "bottom-line", "scorecard", "specifications", "split", "cost-panel", "vote"]
    ids.append("newsletter-comparison")
    positions = [html.index(f'id="{section}"') for section in ids]
    assert positions == sorted(positions)
    nav = html.split('<nav class="page-nav" aria-label="On this page">', 1)[1].split("</nav>")[0]
    assert [f"#{section}" for section in ids] == [
        href for href in re.findall(r'href="([^"]+)"', nav) if href.lstrip("#") in ids
    ]
    assert html.index('class="description"') > html.index('id="cost-panel"')


def test_headline_shares_are_drawn_as_interval_bars_with_words(client, starter):
    html = client.get(REFERENCE).content.decode()
    assert html.count('class="interval-bar" role="img"') == 2, "no bar for shares with no data"
    assert 'aria-label="Panel: 3 of 4 ship, 75%, 95% interval 30%\u201395%"' in html
    assert '<line class="interval-range" x1="30" y1="6" x2="95"' in html
    assert '<line class="interval-point" x1="75"' in html


def test_each_review_opens_with_its_takeaway_and_folds_the_rest(client, starter):
    response = client.get(REFERENCE)
    html = response.content.decode()
    row = response.context["page"].scorecard[0]
    assert f'<p class="takeaway">{row.text_a.takeaway}</p>' in html
    assert html.count('<details class="review-more"><summary>The full review</summary>') == 8
