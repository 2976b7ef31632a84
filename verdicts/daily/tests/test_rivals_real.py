"""The rivals step against the similar app itself: real embeddings, the real rival search."""

import pytest

from verdicts.catalog.models import Comparison
from verdicts.daily.pipeline import daily_run_execute
from verdicts.similar.models import ToolEmbedding


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
