"""Input the API refuses: bounded pages, documented error answers, the Idempotency-Key rule."""

import jsonschema_rs
import pytest
from django.test import Client

from verdicts.api.schemas import OFFSET_MAX
from verdicts.catalog.tests.factories import ToolFactory

LIST_PATHS = ("/api/tools", "/api/comparisons")
CSRF_TOKEN = "a0csrf0token0for0the0api0tests00"


def openapi(client) -> dict:
    return client.get("/api/openapi.json").json()


def documented_body(schema: dict, path: str, method: str, status: int) -> dict:
    """The JSON schema the OpenAPI document gives for one answer, its references resolvable."""
    response = schema["paths"][path][method]["responses"][str(status)]
    body = response["content"]["application/json"]["schema"]
    return {**body, "components": schema["components"]}


def assert_documented(client, response, path: str, method: str = "get") -> None:
    body = documented_body(openapi(client), path, method, response.status_code)
    jsonschema_rs.validate(body, response.json())


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize("offset", [2**63, 10**23, OFFSET_MAX + 1])
def test_an_offset_beyond_the_bound_is_a_documented_422_not_a_crash(client, starter, path, offset):
    response = client.get(path, {"offset": offset})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "offset"]
    assert_documented(client, response, path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_PATHS)
def test_the_last_offset_allowed_answers_an_empty_page(client, starter, path):
    body = client.get(path, {"offset": OFFSET_MAX, "limit": 200}).json()
    assert body["items"] == [] and body["count"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_PATHS)
def test_the_page_bounds_are_in_the_schema(client, path):
    parameters = openapi(client)["paths"][path]["get"]["parameters"]
    bounds = {
        p["name"]: (p["schema"]["minimum"], p["schema"]["maximum"])
        for p in parameters
        if p["name"] != "after"
    }
    assert bounds == {"limit": (1, 200), "offset": (0, OFFSET_MAX)}


@pytest.mark.django_db
def test_every_operation_that_takes_input_documents_its_422(client):
    schema = openapi(client)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            takes_input = any(p["in"] != "path" for p in operation.get("parameters", ()))
            if takes_input or "requestBody" in operation:
                issue = {"type": "missing", "loc": ["query", "x"], "msg": "Field required"}
                body = documented_body(schema, path, method, 422)
                assert jsonschema_rs.is_valid(body, {"detail": [issue]}), (method, path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_PATHS)
def test_a_null_offset_is_a_documented_422(client, path):
    response = client.get(path, {"offset": "null"})
    assert response.status_code == 422
    assert_documented(client, response, path)


@pytest.mark.django_db
def test_pricing_cost_422_bodies_match_the_schema(client, starter):
    invalid = client.get("/api/pricing/cost", {"tool": "cursor", "seats": "AAA"})
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["query", "seats"]
    assert_documented(client, invalid, "/api/pricing/cost")
    unknown = client.get("/api/pricing/cost", {"tool": "cursor", "preset": "nope"})
    assert unknown.status_code == 422
    assert "Unknown preset 'nope'" in unknown.json()["detail"]
    assert_documented(client, unknown, "/api/pricing/cost")


@pytest.mark.django_db
def test_pricing_cost_lists_the_preset_keys(client):
    parameters = openapi(client)["paths"]["/api/pricing/cost"]["get"]["parameters"]
    preset = next(p for p in parameters if p["name"] == "preset")
    keys = [p["key"] for p in client.get("/api/pricing/presets").json()]
    assert preset["schema"]["enum"] == [*keys, None]


@pytest.mark.django_db
def test_the_idempotency_key_rule_is_in_the_schema(client):
    for path in ("/api/votes/tools/{slug}", "/api/votes/comparisons/{slug}"):
        parameters = openapi(client)["paths"][path]["post"]["parameters"]
        key = next(p for p in parameters if p["name"] == "Idempotency-Key")["schema"]
        assert key["maxLength"] == 100
        assert key["pattern"] == r"^[\x20-\x7E]*$"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["tab\there", "\x7f", "k" * 101])
def test_a_key_the_schema_forbids_is_a_documented_422(client, key):
    tool = ToolFactory()
    path = f"/api/votes/tools/{tool.slug}"
    response = client.post(
        path, {"choice": "ship"}, "application/json", headers={"Idempotency-Key": key}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert_documented(client, response, "/api/votes/tools/{slug}", "post")


@pytest.mark.django_db
def test_a_key_the_schema_allows_is_taken(client):
    tool = ToolFactory()
    path = f"/api/votes/tools/{tool.slug}"
    key = "Any printable ASCII: ~!@#$%^&*()"
    response = client.post(
        path, {"choice": "ship"}, "application/json", headers={"Idempotency-Key": key}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_malformed_form_body_is_a_json_400(client):
    """A valid JSON vote sent as multipart without a boundary: the CSRF check fails to read it."""
    tool = ToolFactory()
    path = f"/api/votes/tools/{tool.slug}"
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["csrftoken"] = CSRF_TOKEN
    response = strict.post(
        path,
        '{"choice": "ship"}',
        content_type="multipart/form-data",
        headers={"X-CSRFToken": CSRF_TOKEN},
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("Malformed body")
    assert_documented(client, response, "/api/votes/tools/{slug}", "post")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/tools/a%00b",
        "/api/comparisons/a%00b",
        "/api/panel/comparisons/a%00b/head-to-head",
        "/api/pricing/cost?tool=a%00b",
    ],
)
def test_a_slug_with_a_nul_is_refused_before_it_reaches_the_database(client, url):
    # PostgreSQL refuses NUL in text: a query with it was a 500 there (schemathesis found it).
    response = client.get(url)
    assert response.status_code == 422, response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/api/tools/{slug}", "tool"),
        ("/api/badges/tools/{slug}", "tool"),
        ("/api/panel/tools/{slug}/held", "tool"),
        ("/api/comparisons/{slug}", "comparison"),
        ("/api/badges/comparisons/{slug}", "comparison"),
        ("/api/panel/comparisons/{slug}/head-to-head", "comparison"),
        ("/api/panel/comparisons/{slug}/held", "comparison"),
    ],
)
def test_a_draft_or_unknown_slug_is_the_same_documented_404(client, path, kind):
    draft = ToolFactory(status="draft")
    for slug in (draft.slug, "no-such-thing"):
        response = client.get(path.format(slug=slug))
        assert response.status_code == 404, path
        assert response.json() == {"detail": f"No published {kind} with that slug."}
    assert_documented(client, response, path)
