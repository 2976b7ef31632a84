"""A model-written review names its model and date once, wherever it is shown."""

import re

import pytest
from django.utils import timezone

from testkit.panel import execute_all, review_answer
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.models import Review
from verdicts.panel.services.runs import panel_run_create

MODEL = "script:reviewer-9b"


def review_blocks(html: str) -> list[str]:
    """Each review's own markup: its div holds no other div."""
    return re.findall(r'<div class="review[ "].*?</div>', html, flags=re.S)


@pytest.fixture
def model_reviews(script, builder):
    """Two tools in a comparison, both reviewed by the Builder through a panel run."""
    script.default = lambda messages, info: review_answer("builder")
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
    run, _ = panel_run_create(
        tools=[tool_a, tool_b], personas=[builder], model=MODEL, head_to_head=False
    )
    execute_all(run)
    reviews = list(Review.objects.current().filter(run=run))
    assert len(reviews) == 2 and all(not review.is_editorial for review in reviews)
    return comparison


def assert_provenance_once(html: str, expected_reviews: int) -> None:
    blocks = review_blocks(html)
    assert len(blocks) == expected_reviews
    written = timezone.localdate().strftime("%-d %b %Y")
    for block in blocks:
        text = " ".join(re.sub(r"<[^>]+>", " ", block).split())
        assert text.count("reviewer-9b") == 1, text
        assert text.count(written) == 1, text


@pytest.mark.django_db
def test_comparison_page_shows_each_model_reviews_provenance_once(client, model_reviews):
    assert_provenance_once(client.get(model_reviews.get_absolute_url()).content.decode(), 2)


@pytest.mark.django_db
def test_tool_page_shows_each_model_reviews_provenance_once(client, model_reviews):
    html = client.get(model_reviews.tool_a.get_absolute_url()).content.decode()
    assert_provenance_once(html, 1)


@pytest.mark.django_db
def test_persona_page_shows_each_model_reviews_provenance_once(client, model_reviews, builder):
    assert_provenance_once(client.get(builder.get_absolute_url()).content.decode(), 2)
