"""Every review in the API says who wrote it: `kind` ("ai" or "editorial") and a `label`."""

import pytest

from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.panel.services.editorial import review_create
from verdicts.panel.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db


def test_reviews_carry_their_kind_and_label_on_tools_and_comparisons(client):
    comparison = ComparisonFactory()
    tool_a, tool_b = comparison.tools
    persona = PersonaFactory(name="Skeptic")
    review_create(
        tool=tool_a,
        persona=persona,
        verdict="ship",
        body="A model's review.",
        model_id="http://10.0.0.7:8000/v1#qwen2.5-32b-instruct",
        prompt_version="review.1",
    )
    review_create(tool=tool_b, persona=persona, verdict="skip", body="The editors' review.")
    [ai] = client.get(f"/api/tools/{tool_a.slug}").json()["reviews"]
    assert ai["kind"] == "ai"
    assert ai["label"].startswith("Written by the model qwen2.5-32b-instruct, prompt review.1 · ")
    assert "Skeptic is an AI reviewer persona" in ai["label"] and "10.0.0.7" not in ai["label"]
    detail = client.get(f"/api/comparisons/{comparison.slug}").json()
    [editorial] = detail["side_b"]["reviews"]
    assert editorial["kind"] == "editorial"
    assert editorial["label"].endswith("An editorial review by the Verdicts editors, not a model.")
    assert detail["side_a"]["reviews"][0]["kind"] == "ai"


def test_the_schema_documents_the_kind_and_its_two_values(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    review = schemas["ReviewOut"]["properties"]
    assert review["kind"]["enum"] == ["ai", "editorial"]
    assert "label" in schemas["ReviewOut"]["required"]
