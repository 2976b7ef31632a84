"""The pricing endpoints of the JSON API."""

from decimal import Decimal

import pytest

COST = "/api/pricing/cost"


@pytest.mark.django_db
def test_presets_are_listed_with_their_scenarios(client):
    presets = client.get("/api/pricing/presets").json()
    ci = next(preset for preset in presets if preset["key"] == "ci-long-context")
    assert ci["label"] == "A CI job that sends 200 long-context requests a day"
    assert ci["scenario"] == {
        "seats": 1,
        "requests": 6000,
        "input_tokens": 150000,
        "output_tokens": 2000,
        "cached_percent": 0,
        "images": 0,
    }


@pytest.mark.django_db
def test_cost_of_the_reference_pair_for_a_preset(client, starter, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(
            COST, {"tool": ["claude-4-sonnet", "smolvlm-3b"], "preset": "ci-long-context"}
        )
    assert response.status_code == 200
    body = response.json()
    assert body["preset"] == "ci-long-context"
    assert body["statement"][1] == "6,000 requests a month"
    claude, smol = body["tools"]
    assert claude["slug"] == "claude-4-sonnet" and claude["outcome"] == "priced"
    assert claude["choice"]["plan"] == "Claude API"
    assert Decimal(claude["choice"]["monthly"]) == Decimal("2880")
    assert claude["choice"]["display"] == "$2,880.00 a month"
    assert claude["entry_tier"] == "paid"
    assert claude["pricing_read"] == "usage-based; long context multiplies the bill"
    assert smol["outcome"] == "self_hosted" and smol["choice"]["monthly"] is None
    assert smol["choice"]["assumptions"][0].startswith("free to run; you pay for your own")
    assert smol["pricing_read"] == "free to self-host; pay for your GPU"


@pytest.mark.django_db
def test_custom_scenario_and_tool_order_follow_the_query(client, starter):
    body = client.get(
        COST,
        {"tool": ["cursor", "github-copilot"], "seats": 10},
    ).json()
    assert body["preset"] == "team" and body["scenario"]["seats"] == 10
    cursor, copilot = body["tools"]
    assert cursor["slug"] == "cursor" and copilot["slug"] == "github-copilot"
    assert copilot["choice"]["plan"] == "Free" and Decimal(copilot["choice"]["monthly"]) == 0
    not_covered = client.get(COST, {"tool": ["github-copilot"], "requests": 5000}).json()
    assert not_covered["tools"][0]["outcome"] == "not_covered"
    assert not_covered["tools"][0]["choice"] is None
    reasons = {plan["plan"]: plan["reason"] for plan in not_covered["tools"][0]["plans"]}
    assert reasons["Free"] == "includes 2,000 requests a month; the scenario needs more"


@pytest.mark.django_db
def test_bad_requests_get_clear_errors(client, starter):
    missing = client.get(COST, {"tool": ["claude-4-sonnet", "no-such-tool"]})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No published tool with slug no-such-tool."}
    assert client.get(COST, {"tool": "claude-4-sonnet", "seats": 0}).status_code == 422
    assert client.get(COST, {"tool": "claude-4-sonnet", "cached_percent": 101}).status_code == 422
    assert client.get(COST).status_code == 422
    preset = client.get(COST, {"tool": "claude-4-sonnet", "preset": "nope"})
    assert preset.status_code == 422
    assert "Unknown preset 'nope'" in preset.json()["detail"]


@pytest.mark.django_db
def test_cost_endpoint_is_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/pricing/cost" in paths and "/api/pricing/presets" in paths
