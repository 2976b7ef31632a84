"""The API describes itself truthfully: it reads, and it takes votes."""

import pytest


@pytest.mark.django_db
def test_openapi_does_not_claim_read_only_and_mentions_voting(client):
    schema = client.get("/api/openapi.json").json()
    info = f"{schema['info']['title']} {schema['info']['description']}".lower()
    assert "read-only" not in info and "read only" not in info
    assert "vote" in info
    assert any("post" in operations for operations in schema["paths"].values())
