"""The panel index and the persona pages."""

import pytest

from testkit.pages import text_of
from verdicts.panel.models import Persona

pytestmark = pytest.mark.django_db


def test_panel_pages_show_charters_and_records(client, starter, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/panel/")
    text = text_of(response)
    for name in ("Builder", "Skeptic", "Futurist", "Operator"):
        assert name in text
    # The persona, its record and a page of reviews; the reviews are never counted.
    with django_assert_num_queries(3):
        response = client.get("/panel/operator/")
    text = text_of(response)
    assert "Charter" in text and "Never says" in text and "The questions it asks" in text
    record = response.context["page"].record
    assert record.share.total == 20
    assert "SmolVLM-3B" in text


def test_inactive_personas_leave_the_panel_and_its_figures(client, starter):
    Persona.objects.filter(slug="operator").update(is_active=False)
    assert client.get("/panel/operator/").status_code == 404
    text = text_of(client.get("/compare/claude-4-sonnet-vs-smolvlm-3b/"))
    assert "Panel ship 100% 3 of 3 ship" in text
