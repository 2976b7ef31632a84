"""The evidence checks: quotes from the dossier, words a persona never says. They go back to the
model as retries first; what survives the retries is stored as flags."""

import pytest

from testkit.panel import QUOTE, execute_all, review_answer
from verdicts.panel.evidence import EvidenceCheck
from verdicts.panel.models import LlmCall, Review
from verdicts.panel.schemas import review_output_type
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.factories import PersonaFactory

MISQUOTE = "It cures every known bug overnight."


def retry_text(script, call: int) -> str:
    """What the model was sent back after its previous answer, on this scripted call."""
    messages, _ = script.seen[call]
    [returned] = messages[-1].parts
    assert returned.outcome == "retried"
    return str(returned.content)


def test_the_check_names_each_problem_and_flags_only_what_is_wrong():
    check = EvidenceCheck(
        source=f"<<<DOSSIER>>>\n{QUOTE}\n<<<END DOSSIER>>>", never_says=("magic",)
    )
    answer = review_answer("builder") | {"evidence": [QUOTE, MISQUOTE]}
    answer["review"] = "Pure magic. " + answer["review"]
    review = review_output_type("builder").model_validate(answer)
    first, second = check.problems(review)
    assert MISQUOTE in first and QUOTE not in first and "word for word" in first
    assert "never says: magic" in second
    assert check.flags(review) == [
        {"kind": "unverified_quote", "quote": MISQUOTE},
        {"kind": "never_says", "word": "magic"},
    ]
    assert (
        check.problems(review_output_type("builder").model_validate(review_answer("builder"))) == []
    )


@pytest.mark.django_db
def test_a_misquote_goes_back_to_the_model_and_a_fixed_answer_is_stored_unflagged(
    script, builder, tool
):
    script.then(review_answer("builder", quote=MISQUOTE), review_answer("builder"))
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    review = Review.objects.current().get(tool=tool, persona=builder)
    assert review.flags == [] and review.evidence == [QUOTE]
    assert MISQUOTE in retry_text(script, 1) and "not in the dossier" in retry_text(script, 1)
    # The retry is part of the one call: one attempt, one row, one price.
    assert LlmCall.objects.get().attempt == 1


@pytest.mark.django_db
def test_quotes_still_not_in_the_dossier_after_the_retries_are_flagged_on_the_review(
    script, builder, tool
):
    script.default = lambda messages, info: review_answer("builder", quote=MISQUOTE)
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    review = Review.objects.current().get(tool=tool, persona=builder)
    assert review.unverified_quotes == [MISQUOTE]
    # VERDICTS_PANEL_OUTPUT_RETRIES is 1 in these tests: the first answer and one retry.
    assert len(script.seen) == 2 and MISQUOTE in retry_text(script, 1)


@pytest.mark.django_db
def test_a_review_using_words_its_persona_never_says_is_flagged(script, tool):
    skeptic = PersonaFactory(slug="skeptic", name="Skeptic", never_says=["game-changer", "magic"])
    answer = review_answer("skeptic")
    answer["review"] = "A game-changer. Magical thinking aside, " + answer["review"]
    script.default = lambda messages, info: answer
    run, _ = panel_run_create(tools=[tool], personas=[skeptic])
    execute_all(run)
    review = Review.objects.current().get(tool=tool, persona=skeptic)
    assert review.flags == [{"kind": "never_says", "word": "game-changer"}]
    assert "never says: game-changer" in retry_text(script, 1)


@pytest.mark.django_db
def test_a_review_rewritten_without_the_words_is_stored_unflagged(script, tool):
    skeptic = PersonaFactory(slug="skeptic", name="Skeptic", never_says=["game-changer"])
    off_voice = review_answer("skeptic")
    off_voice["review"] = "A game-changer. " + off_voice["review"]
    script.then(off_voice, review_answer("skeptic"))
    run, _ = panel_run_create(tools=[tool], personas=[skeptic])
    execute_all(run)
    assert Review.objects.current().get(tool=tool, persona=skeptic).flags == []
