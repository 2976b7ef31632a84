import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.compare.tests.test_pages import text_of
from verdicts.panel.services import review_create
from verdicts.panel.tests.factories import PersonaFactory


@pytest.mark.django_db
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
    assert text.count("qwen2.5-7b") == 4, "the model is named once per review"
    assert text.count("Written by the model qwen2.5-7b, prompt review.0123456789") == 4
    assert text.count("1 quote not found in the dossier") == 4
    assert "10.1.2.3" not in response.content.decode()
    assert "Written by Verdicts editorial" not in text
