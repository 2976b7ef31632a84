import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.compare.tests.test_pages import text_of
from verdicts.panel.models import Persona, Review
from verdicts.panel.services import review_create
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
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            review_create(tool=tool, persona=persona, verdict="ship", body=f"Take {index}.")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Review.objects.filter(tool=tool).count() == 6
    assert Review.objects.filter(tool=tool, is_current=True).count() == 1


@pytest.mark.django_db
def test_panel_pages_show_charters_and_records(client, starter, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/panel/")
    text = text_of(response)
    for name in ("Builder", "Skeptic", "Futurist", "Operator"):
        assert name in text
    with django_assert_num_queries(4):
        response = client.get("/panel/operator/")
    text = text_of(response)
    assert "Charter" in text and "Never says" in text and "The questions it asks" in text
    record = response.context["record"]
    assert record.share.total == 20
    assert "SmolVLM-3B" in text


@pytest.mark.django_db
def test_inactive_personas_leave_the_panel_and_its_figures(client, starter):
    Persona.objects.filter(slug="operator").update(is_active=False)
    assert client.get("/panel/operator/").status_code == 404
    text = text_of(client.get("/compare/claude-4-sonnet-vs-smolvlm-3b/"))
    assert "Panel ship 100% 3 of 3 ship" in text
