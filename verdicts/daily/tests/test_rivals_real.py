"""The rivals step against the similar app itself: real embeddings, the real rival search."""

import pytest

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.daily.pipeline import daily_run_execute
from verdicts.daily.steps.rivals import rival_draft
from verdicts.ingest.intake import PLACEHOLDER_CATEGORY
from verdicts.similar.models import ToolEmbedding
from verdicts.similar.services import tool_embeddings_refresh


@pytest.mark.django_db(transaction=True)
def test_a_new_tool_is_embedded_and_drafted_against_its_closest_published_rival(
    tools_file, rival, builder, model, settings
):
    settings.VERDICTS_DAILY_PUBLISH = "auto"

    outcome = daily_run_execute()

    assert outcome.summary["errors"] == []
    assert outcome.summary["embeddings"]["embedded"] >= 2
    assert ToolEmbedding.objects.filter(tool__slug="acme-coder").exists()
    assert outcome.summary["comparisons"]["drafted"] == ["acme-coder-vs-cursor"]
    assert Comparison.objects.get().published_at is not None


@pytest.mark.django_db(transaction=True)
def test_below_the_threshold_nothing_is_drafted_and_the_summary_says_why(
    tools_file, rival, builder, model, settings
):
    settings.VERDICTS_RIVAL_THRESHOLD = 1.01

    outcome = daily_run_execute()

    assert outcome.summary["rivals"] == [
        {"tool": "acme-coder", "note": "no published rival above the similarity threshold"}
    ]
    assert not Comparison.objects.exists()
    assert outcome.summary["reviews"]["written"] == 1  # reviewed by the panel step instead


@pytest.mark.django_db
def test_a_tool_imported_without_a_category_is_filed_by_its_neighbours_then_paired():
    code = CategoryFactory(slug="coding-assistants", name="Coding assistants")
    speech = CategoryFactory(slug="speech", name="Speech")
    placeholder = CategoryFactory(slug=PLACEHOLDER_CATEGORY["slug"])
    editors = [
        ("copilot", code, "An AI pair programmer that completes code in your editor."),
        ("cursor", code, "An AI code editor that writes and refactors code across files."),
        ("aider", code, "An AI coding assistant in your terminal that edits your repository."),
        ("voices", speech, "Text-to-speech voices and voice cloning through a streaming API."),
    ]
    for slug, category, tagline in editors:
        ToolFactory(slug=slug, category=category, tagline=tagline, description=tagline)
    newcomer = ToolFactory(
        slug="acme-code",
        category=placeholder,
        status=Tool.Status.DRAFT,
        tagline="An AI code editor that writes, refactors and explains your code",
        description="Autocompletes whole functions and refactors across files.",
    )
    tool_embeddings_refresh()

    found = rival_draft(tool=newcomer)

    newcomer.refresh_from_db()
    assert newcomer.category == code
    assert found["category"].startswith("category coding-assistants from its nearest tools")
    assert found["rival"] in {"copilot", "cursor", "aider"}
    assert Comparison.objects.get().slug == f"acme-code-vs-{found['rival']}"
