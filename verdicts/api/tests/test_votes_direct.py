"""The vote endpoints' direct views give ninja's answers, and answer plain votes themselves.

Each scenario runs twice on its own tools: through the site's routes (direct views first) and
through the API's routes alone (ninja for everything). The answers must agree byte for byte,
slugs aside, with the same status, content type, Retry-After and voter cookie attributes.
"""

import pytest
from django.test import Client, override_settings

from verdicts.api import votes_direct
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import VOTER_COOKIE
from verdicts.votes.models import ToolVote

NINJA_ONLY = "verdicts.api.urls"


def answers(requests, *, slugs: dict[str, str]) -> list[tuple]:
    """Send each (client name, kind, body, content type, headers) request; what came back."""
    clients = {}
    seen = []
    for who, kind, body, content_type, headers in requests:
        client = clients.setdefault(who, Client(enforce_csrf_checks=who.startswith("strict")))
        url = f"/api/votes/{kind}/{slugs[kind]}"
        if body is None:
            response = client.get(url)
        else:
            response = client.post(url, body, content_type, headers=headers)
        cookie = response.cookies.get(VOTER_COOKIE)
        text = response.content.decode()
        for name, slug in slugs.items():
            text = text.replace(slug, f"<{name}>")
        seen.append(
            (
                response.status_code,
                response.get("Content-Type"),
                text,
                response.get("Retry-After") is not None,
                cookie and {key: cookie[key] for key in ("max-age", "httponly", "samesite")},
            )
        )
    return seen


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
JSON = "application/json"
SCENARIO = [
    ("one", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN),
    ("one", "tools", '{"choice": "skip"}', JSON, SAME_ORIGIN),
    ("one", "tools", '{"choice": "none"}', JSON, SAME_ORIGIN),
    ("one", "comparisons", '{"pick": "b"}', JSON, SAME_ORIGIN),
    ("one", "comparisons", '{"pick": "tie"}', JSON, SAME_ORIGIN),
    ("two", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN | {"Idempotency-Key": "k1"}),
    ("two", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN | {"Idempotency-Key": "k1"}),
    ("two", "tools", '{"choice": "skip"}', JSON, SAME_ORIGIN | {"Idempotency-Key": "k1"}),
    ("two", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN | {"Idempotency-Key": "é"}),
    ("two", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN | {"Idempotency-Key": "k" * 300}),
    ("two", "tools", '{"choice": "yes"}', JSON, SAME_ORIGIN),
    ("two", "tools", '{"choice": "ship", "extra": 1}', JSON, SAME_ORIGIN),
    ("two", "tools", '{"choice": 1}', JSON, SAME_ORIGIN),
    ("two", "tools", '["ship"]', JSON, SAME_ORIGIN),
    ("two", "tools", "{not json", JSON, SAME_ORIGIN),
    ("two", "tools", "choice=ship", "application/x-www-form-urlencoded", SAME_ORIGIN),
    ("two", "comparisons", '{"choice": "a"}', JSON, SAME_ORIGIN),
    ("two", "tools", None, JSON, {}),
    ("strict", "tools", '{"choice": "ship"}', JSON, {}),
    ("strict", "tools", '{"choice": "ship"}', JSON, {"Origin": "https://elsewhere.example"}),
    ("strict-site", "tools", '{"choice": "ship"}', JSON, {"Sec-Fetch-Site": "cross-site"}),
]


@pytest.fixture
def direct_calls(monkeypatch):
    """How many requests the direct views handed to ninja."""
    handed = []
    real = votes_direct._ninja_view

    def counting(path):
        handed.append(path)
        return real(path)

    monkeypatch.setattr(votes_direct, "_ninja_view", counting)
    return handed


def slugs_new() -> dict[str, str]:
    # Equal lengths and no shared text: the answers differ only where the slugs are.
    comparison = ComparisonFactory()
    return {"tools": ToolFactory().slug, "comparisons": comparison.slug}


@pytest.mark.django_db
def test_the_direct_views_answer_as_ninja_does(direct_calls):
    direct = answers(SCENARIO, slugs=slugs_new())
    with override_settings(ROOT_URLCONF=NINJA_ONLY):
        ninja = answers(SCENARIO, slugs=slugs_new())
    for request, mine, theirs in zip(SCENARIO, direct, ninja, strict=True):
        assert mine == theirs, request
    statuses = [status for status, *_ in direct]
    # Ninja ignores a key it does not know (the direct view hands that request to it).
    assert statuses == [200] * 7 + [422] * 4 + [200, 422, 422, 400, 400, 422, 405, 403, 403, 403]
    # Plain votes, the replay, the key conflict and the CSRF refusals were answered without
    # ninja; the rest by it.
    assert len(direct_calls) == len(SCENARIO) - 11


@pytest.mark.django_db
@override_settings(VOTES_RATE_PER_VOTER=2)
def test_a_refused_vote_answers_as_ninja_does(direct_calls):
    over = [("one", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN)] * 3
    over += [("one", "tools", '{"choice": "ship"}', JSON, SAME_ORIGIN)]
    direct = answers(over, slugs=slugs_new())
    with override_settings(ROOT_URLCONF=NINJA_ONLY):
        ninja = answers(over, slugs=slugs_new())
    assert direct == ninja
    assert [status for status, *_ in direct] == [200, 200, 429, 429]
    assert direct[2][3] is True and not direct_calls


@pytest.mark.django_db
def test_an_unknown_slug_is_404_in_json_from_the_direct_view(client, direct_calls):
    response = client.post(
        "/api/votes/tools/no-such-tool", '{"choice": "ship"}', JSON, headers=SAME_ORIGIN
    )
    assert response.status_code == 404 and "No published" in response.json()["detail"]
    assert not direct_calls and not ToolVote.objects.exists()
