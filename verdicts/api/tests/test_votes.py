"""The votes API: casting votes and picks, and the stored rankings."""

import pytest
from django.test import Client, override_settings

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.models import PairVote, ToolVote
from verdicts.votes.services.rankings import rankings_recompute


def api_post(client, url, payload, **headers):
    return client.post(url, payload, "application/json", headers=headers)


@pytest.mark.django_db
def test_api_votes_on_a_tool_and_answers_with_fresh_counts(client):
    tool = ToolFactory()
    answer = api_post(client, f"/api/votes/tools/{tool.slug}", {"choice": "ship"}).json()
    assert answer["choice"] == "ship"
    assert answer["community"]["count"] == answer["community"]["total"] == 1
    assert answer["community"]["provisional"] is True
    answer = api_post(client, f"/api/votes/tools/{tool.slug}", {"choice": "none"}).json()
    assert answer["choice"] is None and answer["community"]["total"] == 0
    assert not ToolVote.objects.exists()


@pytest.mark.django_db
def test_api_pick_on_a_comparison(client):
    comparison = ComparisonFactory()
    url = f"/api/votes/comparisons/{comparison.slug}"
    assert api_post(client, url, {"pick": "b"}).json()["picks"] == {"a": 0, "b": 1, "tie": 0}
    assert api_post(client, url, {"pick": "tie"}).json()["picks"] == {"a": 0, "b": 0, "tie": 1}
    assert PairVote.objects.get().pick == "tie"


@pytest.mark.django_db
def test_api_refuses_bad_input_unknown_tools_and_missing_csrf(client):
    tool = ToolFactory()
    assert api_post(client, f"/api/votes/tools/{tool.slug}", {"choice": "yes"}).status_code == 422
    assert api_post(client, "/api/votes/tools/nope", {"choice": "ship"}).status_code == 404
    assert client.get(f"/api/votes/tools/{tool.slug}").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    response = api_post(strict, f"/api/votes/tools/{tool.slug}", {"choice": "ship"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    refused = api_post(
        strict, f"/api/votes/tools/{tool.slug}", {"choice": "ship"}, Origin="https://x.example"
    )
    assert refused.status_code == 403
    # A script that sends no Origin sends Django's token: the cookie and the same value.
    strict.cookies["csrftoken"] = "apiclient0csrf0token000000000000"
    response = api_post(
        strict,
        f"/api/votes/tools/{tool.slug}",
        {"choice": "ship"},
        X_CSRFToken="apiclient0csrf0token000000000000",
    )
    assert response.status_code == 200
    browser = api_post(
        Client(enforce_csrf_checks=True),
        f"/api/votes/tools/{tool.slug}",
        {"choice": "skip"},
        Sec_Fetch_Site="same-origin",
    )
    assert browser.status_code == 200
    assert ToolVote.objects.count() == 2


@pytest.mark.django_db
def test_api_idempotency_conflict_is_422(client):
    tool = ToolFactory()
    url = f"/api/votes/tools/{tool.slug}"
    assert api_post(client, url, {"choice": "ship"}, Idempotency_Key="x").status_code == 200
    refused = api_post(client, url, {"choice": "skip"}, Idempotency_Key="x")
    assert refused.status_code == 422
    assert "different vote" in refused.json()["detail"]


@pytest.mark.django_db
@override_settings(VOTES_RATE_PER_VOTER=2)
def test_api_rate_limit_answers_429_with_retry_after(client):
    tool = ToolFactory()
    url = f"/api/votes/tools/{tool.slug}"
    statuses = [api_post(client, url, {"choice": "ship"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(api_post(client, url, {"choice": "ship"})["Retry-After"]) >= 1


@pytest.mark.django_db
def test_vote_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    tool_vote = schema["paths"]["/api/votes/tools/{slug}"]["post"]
    assert set(tool_vote["responses"]) >= {"200", "403", "404", "422", "429"}
    assert any(p["name"] == "Idempotency-Key" for p in tool_vote["parameters"])
    assert "post" in schema["paths"]["/api/votes/comparisons/{slug}"]
    assert "get" in schema["paths"]["/api/votes/rankings"]


@pytest.mark.django_db
def test_api_rankings_show_what_was_stored(client):
    comparison = ComparisonFactory()
    for index in range(5):
        api_post(
            Client(REMOTE_ADDR=f"10.8.0.{index}"),
            f"/api/votes/comparisons/{comparison.slug}",
            {"pick": "a"},
        )
    before = client.get("/api/votes/rankings").json()
    assert before["head_to_head"] == [] and before["computed_at"] is None
    assert before["picks"] == 5 and before["next_recompute_at"]
    rankings_recompute(samples=20)
    body = client.get("/api/votes/rankings").json()
    assert body["computed_at"] and body["uncounted"] == 0
    assert [entry["tool"] for entry in body["head_to_head"]] == [
        comparison.tool_a.slug,
        comparison.tool_b.slug,
    ]
    category = comparison.tool_a.category.slug
    assert client.get(f"/api/votes/rankings/{category}").json()["scope"] == category
    assert client.get("/api/votes/rankings/no-such-category").status_code == 404
