from functools import partial

import pytest
from django.core.exceptions import ValidationError

from testkit.concurrency import threads_race
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.panel.models import Review
from verdicts.panel.services.editorial import review_create
from verdicts.panel.tests.factories import PersonaFactory


@pytest.mark.django_db
def test_a_new_review_supersedes_the_current_one_and_keeps_history():
    tool, persona = ToolFactory(), PersonaFactory()
    first = review_create(tool=tool, persona=persona, verdict="ship", body="First look.")
    second = review_create(
        tool=tool, persona=persona, verdict="skip", body="Second look.", model_id="openai:gpt-x"
    )
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert Review.objects.filter(tool=tool, persona=persona).count() == 2
    assert list(Review.objects.current().filter(tool=tool)) == [second]
    assert not second.is_editorial


@pytest.mark.django_db
def test_a_review_with_a_bad_verdict_or_confidence_is_refused_and_changes_nothing():
    tool, persona = ToolFactory(), PersonaFactory()
    kept = review_create(tool=tool, persona=persona, verdict="ship", body="Fine.")
    with pytest.raises(ValidationError):
        review_create(tool=tool, persona=persona, verdict="maybe", body="Hmm.")
    with pytest.raises(ValidationError):
        review_create(tool=tool, persona=persona, verdict="ship", body="Hmm.", confidence=1.5)
    kept.refresh_from_db()
    assert kept.is_current
    assert Review.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_of_one_tool_leave_exactly_one_current():
    tool, persona = ToolFactory(), PersonaFactory()

    def write(index: int) -> None:
        review_create(tool=tool, persona=persona, verdict="ship", body=f"Take {index}.")

    assert threads_race([partial(write, index) for index in range(6)]).errors == []
    assert Review.objects.filter(tool=tool).count() == 6
    assert Review.objects.filter(tool=tool, is_current=True).count() == 1
