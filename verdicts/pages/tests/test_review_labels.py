"""Reviews say who wrote them on every page that shows them, as text; the comparison page names
its models, flags a panel of one model family and links the methodology."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.pages import text_of as tags_stripped
from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.panel.services.editorial import review_create
from verdicts.panel.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The visible text, its entities (an apostrophe) read back."""
    return html.unescape(tags_stripped(response))


PRIVATE = "http://10.1.2.3:8080/v1#"


@pytest.fixture
def comparison():
    return ComparisonFactory()


def review(tool, persona, model_id="", verdict="ship"):
    return review_create(
        tool=tool,
        persona=persona,
        verdict=verdict,
        body=f"{persona.name} on {tool.name}.",
        model_id=model_id,
        prompt_version="review.7" if model_id else "",
    )


def test_ai_and_editorial_reviews_are_told_apart_in_words_on_every_page(client, comparison):
    tool_a = comparison.tools[0]
    skeptic, builder = PersonaFactory(name="Skeptic"), PersonaFactory(name="Builder")
    review(tool_a, skeptic, PRIVATE + "qwen2.5-7b")
    review(tool_a, builder)
    for url in (
        comparison.get_absolute_url(),
        tool_a.get_absolute_url(),
        skeptic.get_absolute_url(),
    ):
        response = client.get(url)
        text = text_of(response)
        assert "AI reviewer Written by the model qwen2.5-7b, prompt review.7 · " in text, url
        assert "AI analysis, not a person's review: Skeptic is an AI reviewer persona." in text
        assert "10.1.2.3" not in response.content.decode()
        assert 'class="review-label review-label-ai"' in response.content.decode()
    for url in (
        comparison.get_absolute_url(),
        tool_a.get_absolute_url(),
        builder.get_absolute_url(),
    ):
        text = text_of(client.get(url))
        assert "Editorial Written by Verdicts editorial · " in text, url
        assert "An editorial review by the Verdicts editors, not a model." in text


def test_the_comparison_page_names_its_models_and_flags_a_single_family(client, comparison):
    tool_a, tool_b = comparison.tools
    skeptic, builder = PersonaFactory(name="Skeptic"), PersonaFactory(name="Builder")
    review(tool_a, skeptic, "openai:gpt-4o")
    review(tool_b, skeptic, "openai:gpt-4o")
    review(tool_a, builder, "openai:o3-mini")
    url = comparison.get_absolute_url()
    with CaptureQueriesContext(connection) as one_family:
        text = text_of(client.get(url))
    assert "Reviewed by the models gpt-4o, o3-mini." in text
    assert "Single model family: every AI review here came from one maker's models" in text

    review(tool_b, builder, "anthropic:claude-sonnet-4-5")
    with CaptureQueriesContext(connection) as mixed:
        text = text_of(client.get(url))
    assert "Reviewed by the models claude-sonnet-4-5, gpt-4o, o3-mini." in text
    assert "Single model family" not in text
    assert len(mixed) == len(one_family)


def test_a_comparison_without_model_reviews_names_no_models(client, comparison):
    review(comparison.tools[0], PersonaFactory())
    text = text_of(client.get(comparison.get_absolute_url()))
    assert "Reviewed by the model" not in text and "Single model family" not in text


def test_the_comparison_page_and_the_footer_link_the_methodology(client, comparison):
    html = client.get(comparison.get_absolute_url()).content.decode()
    assert html.count('href="/methodology/"') == 2  # the lead and the footer
    assert 'href="/methodology/"' in client.get("/tools/").content.decode()


def test_the_methodology_page_explains_the_panel_in_plain_words(client):
    PersonaFactory(name="Skeptic", lens="What could go wrong.")
    response = client.get("/methodology/")
    assert response.status_code == 200
    text = text_of(response)
    for words in (
        "Skeptic , an AI reviewer: What could go wrong.",
        "The vendor's text is untrusted data",
        "asked twice, once with each tool first",
        "the Wilson score interval",
        "a vote is held",
        "rate limited per voter and per address",
        "FTC",
        "No model reviews a tool made by its own vendor or model family",
    ):
        assert words in text, words
    assert 'href="/panel/audit/"' in response.content.decode()


def test_the_methodology_page_is_in_the_sitemap(client):
    assert "/methodology/</loc>" in client.get("/sitemap-pages.xml").content.decode()
