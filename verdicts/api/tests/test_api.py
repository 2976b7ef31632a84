import pytest

from verdicts.catalog.models import Tool
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import review_create


@pytest.mark.django_db
def test_tools_list_is_paginated_and_ordered(client, starter):
    body = client.get("/api/tools", {"limit": 5}).json()
    assert body["count"] == Tool.objects.published().count()
    slugs = [tool["slug"] for tool in body["items"]]
    assert len(slugs) == 5 and slugs == sorted(slugs)
    rest = client.get("/api/tools", {"limit": 200, "offset": 5}).json()
    assert len(rest["items"]) == body["count"] - 5


@pytest.mark.django_db
def test_tools_list_rejects_a_bad_page_size(client, starter):
    assert client.get("/api/tools", {"limit": 0}).status_code == 422
    assert client.get("/api/tools", {"limit": "many"}).status_code == 422


@pytest.mark.django_db
def test_tool_detail_has_reviews_and_panel_share(client, starter):
    body = client.get("/api/tools/smolvlm-3b").json()
    assert body["entry_tier"] == "free"
    assert set(body["plans"][0]) >= {"kind", "price", "seats_included", "long_context_threshold"}
    assert body["open_weights"] is True
    assert body["panel"]["count"] == 3 and body["panel"]["total"] == 4
    assert body["community"]["total"] == 0 and body["community"]["percent"] is None
    assert {review["persona"] for review in body["reviews"]} == {
        "builder",
        "skeptic",
        "futurist",
        "operator",
    }
    assert all(review["author"] == "Verdicts editorial" for review in body["reviews"])
    assert all(review["model"] == "" for review in body["reviews"])


@pytest.mark.django_db
def test_unknown_or_unpublished_tools_are_404(client, starter):
    assert client.get("/api/tools/nope").status_code == 404
    Tool.objects.filter(slug="cursor").update(status=Tool.Status.DRAFT)
    response = client.get("/api/tools/cursor")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published tool with that slug."}


@pytest.mark.django_db
def test_comparisons_list_and_detail(client, starter):
    body = client.get("/api/comparisons").json()
    assert body["count"] >= 10
    assert body["items"][0]["slug"] == "claude-4-sonnet-vs-smolvlm-3b"
    detail = client.get("/api/comparisons/claude-4-sonnet-vs-smolvlm-3b").json()
    assert detail["side_a"]["tool"]["slug"] == "claude-4-sonnet"
    assert detail["side_a"]["panel"]["percent"] == 100
    assert detail["side_b"]["panel"]["percent"] == 75
    assert detail["split_personas"] == ["operator"]
    assert len(detail["side_a"]["reviews"]) == len(detail["side_b"]["reviews"]) == 4
    assert client.get("/api/comparisons/nope-vs-nothing").status_code == 404


@pytest.mark.django_db
def test_tools_and_comparisons_name_the_share_card_their_pages_link(client, starter):
    detail = client.get("/api/comparisons/claude-4-sonnet-vs-smolvlm-3b").json()
    cards = [detail["share_image"], detail["side_a"]["tool"]["share_image"]]
    assert cards[0].endswith("/share/compare/claude-4-sonnet-vs-smolvlm-3b.png")
    assert cards[1].endswith("/share/tools/claude-4-sonnet.png")
    page = client.get("/compare/claude-4-sonnet-vs-smolvlm-3b/").content.decode()
    assert f'content="{cards[0]}"' in page
    for card in cards:
        response = client.get(card.removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_openapi_schema_documents_the_read_endpoints(client):
    assert client.get("/api/docs").status_code == 200
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/tools", "/api/tools/{slug}", "/api/comparisons", "/api/comparisons/{slug}"):
        assert path in paths


@pytest.mark.django_db
def test_a_model_review_names_its_model_but_never_its_servers_address(client, starter):
    review_create(
        tool=Tool.objects.get(slug="cursor"),
        persona=Persona.objects.get(slug="builder"),
        verdict="ship",
        body="A model's review.",
        author="Verdicts panel",
        model_id="http://10.0.0.7:8000/v1#qwen2.5-32b-instruct",
    )
    body = client.get("/api/tools/cursor").json()
    builder = next(review for review in body["reviews"] if review["persona"] == "builder")
    assert builder["model"] == "qwen2.5-32b-instruct"
    assert "10.0.0.7" not in str(body)
