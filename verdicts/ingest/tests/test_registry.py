import datetime
import time

import pytest
from werkzeug import Response

from verdicts.ingest.importers import ImportRefused
from verdicts.ingest.importers.registry import (
    RateLimited,
    Registry,
    json_of,
    limit_params,
    registry_get,
    registry_targets_for,
)

pytestmark = pytest.mark.usefixtures("fetch_allows_httpserver")
HUB = Registry(name="Hugging Face Hub", token="", token_setting="HF_TOKEN")
JSON = ["application/json"]


def busy_then_ok(retry_after: str, *, busy_answers: int = 1):
    """A handler answering 429 with this Retry-After `busy_answers` times, then 200."""
    calls = []

    def handle(request):
        calls.append(time.monotonic())
        if len(calls) <= busy_answers:
            return Response("slow down", status=429, headers={"Retry-After": retry_after})
        return Response('{"ok": true}', content_type="application/json")

    return handle, calls


def when(seconds_from_now: float) -> str:
    """The time the registry messages name for a wait starting now, rounded up to the minute."""
    now = datetime.datetime.now(datetime.UTC)
    at = now + datetime.timedelta(seconds=seconds_from_now)
    at = at.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    return f"{at:%H:%M} UTC" if at.date() == now.date() else f"{at:%Y-%m-%d %H:%M} UTC"


def test_a_short_retry_after_is_waited_once_and_the_request_retried(httpserver):
    handle, calls = busy_then_ok("1")
    httpserver.expect_request("/api/models/a/b").respond_with_handler(handle)

    fetched = registry_get(HUB, httpserver.url_for("/api/models/a/b"), accept=JSON)

    assert json_of(fetched) == {"ok": True}
    assert len(calls) == 2 and calls[1] - calls[0] >= 1


def test_a_second_refusal_after_the_retry_is_not_retried_again(httpserver):
    handle, calls = busy_then_ok("0", busy_answers=5)
    httpserver.expect_request("/api/models/a/b").respond_with_handler(handle)
    with pytest.raises(RateLimited, match="rate limit reached"):
        registry_get(HUB, httpserver.url_for("/api/models/a/b"), accept=JSON)
    assert len(calls) == 2


def test_a_long_retry_after_is_refused_at_once_naming_when(httpserver):
    handle, calls = busy_then_ok("3600")
    httpserver.expect_request("/api/models/a/b").respond_with_handler(handle)
    started = time.monotonic()

    with pytest.raises(RateLimited) as refused:
        registry_get(HUB, httpserver.url_for("/api/models/a/b"), accept=JSON)

    assert time.monotonic() - started < 1 and len(calls) == 1
    message = str(refused.value)
    assert message.startswith("Hugging Face Hub rate limit reached; it resets at ")
    assert message.endswith(" UTC (set HF_TOKEN for more)") and "\n" not in message


def test_the_hubs_ratelimit_headers_name_the_reset_and_the_quota(httpserver):
    httpserver.expect_request("/api/models").respond_with_data(
        "Too Many Requests",
        status=429,
        headers={
            "RateLimit": '"api";r=0;t=120',
            "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
        },
    )
    earliest = when(120)
    with pytest.raises(RateLimited) as refused:
        registry_get(HUB, httpserver.url_for("/api/models"), accept=JSON)
    assert str(refused.value) in {  # a minute may turn during the request
        f"Hugging Face Hub rate limit reached (500 calls per 300 s); it resets at {at} "
        "(set HF_TOKEN for more)"
        for at in (earliest, when(120))
    }


def test_with_a_token_the_refusal_does_not_ask_for_one(httpserver):
    httpserver.expect_request("/x").respond_with_data("", status=429)
    with_token = Registry(name="GitHub", token="t", token_setting="GITHUB_TOKEN")
    with pytest.raises(RateLimited) as refused:
        registry_get(with_token, httpserver.url_for("/x"), accept=JSON)
    assert str(refused.value) == "GitHub rate limit reached; try again later"


def test_an_unavailable_registry_says_when_to_come_back(httpserver):
    httpserver.expect_request("/x").respond_with_data(
        "", status=503, headers={"Retry-After": "600"}
    )
    earliest = when(600)
    with pytest.raises(ImportRefused) as refused:
        registry_get(HUB, httpserver.url_for("/x"), accept=JSON)
    assert not isinstance(refused.value, RateLimited)
    assert str(refused.value) in {
        f"Hugging Face Hub is unavailable (HTTP 503); try again after {at}"
        for at in (earliest, when(600))
    }


def test_a_refused_token_is_named(httpserver):
    httpserver.expect_request("/x").respond_with_json({"message": "Bad credentials"}, status=401)
    registry = Registry(name="GitHub", token="expired", token_setting="GITHUB_TOKEN")
    with pytest.raises(ImportRefused, match=r"^GitHub refused the token in GITHUB_TOKEN$"):
        registry_get(registry, httpserver.url_for("/x"), accept=JSON)


def test_the_bearer_token_and_the_registrys_headers_are_sent(httpserver):
    httpserver.expect_request("/x").respond_with_json({})
    registry = Registry(
        name="GitHub", token="ghp_1", token_setting="GITHUB_TOKEN", headers={"X-Api": "2"}
    )
    registry_get(registry, httpserver.url_for("/x"), accept=JSON)
    registry_get(HUB, httpserver.url_for("/x"), accept=JSON)
    (with_token, _), (without, _) = httpserver.log
    assert with_token.headers["Authorization"] == "Bearer ghp_1"
    assert with_token.headers["X-Api"] == "2"
    assert "Authorization" not in without.headers


def test_missing_answers_are_none_and_only_the_named_codes_count(httpserver):
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    httpserver.expect_request("/hidden").respond_with_data(
        "", status=401, headers={"X-Error-Code": "RepoNotFound"}
    )
    hub = Registry(
        name="Hugging Face Hub",
        token="",
        token_setting="HF_TOKEN",
        missing_codes=frozenset({"RepoNotFound"}),
    )
    assert registry_get(hub, httpserver.url_for("/gone"), accept=JSON) is None
    assert registry_get(hub, httpserver.url_for("/hidden"), accept=JSON) is None
    with pytest.raises(ImportRefused, match="answered HTTP 401"):
        registry_get(HUB, httpserver.url_for("/hidden"), accept=JSON)


def test_a_wrong_content_type_is_refused_in_one_line(httpserver):
    httpserver.expect_request("/x").respond_with_data("<html>", content_type="text/html")
    with pytest.raises(ImportRefused, match=r"answered text/html, not application/json$"):
        registry_get(HUB, httpserver.url_for("/x"), accept=JSON)


def test_ietf_draft_rate_limit_fields_are_parsed():
    assert limit_params('"api";r=0;t=120') == {"r": "0", "t": "120"}
    assert limit_params('"fixed window";"api";q=500;w=300') == {"q": "500", "w": "300"}
    assert limit_params('"api";r=4;t=9, "pages";r=0;t=1') == {"r": "4", "t": "9"}
    assert limit_params("") == {}


@pytest.mark.parametrize(
    ("homepage", "repository_url", "hub_id", "targets"),
    [
        (
            "https://aider.chat/",
            "https://github.com/Aider-AI/aider.git",
            "",
            ["github:Aider-AI/aider"],
        ),
        (
            "https://huggingface.co/HuggingFaceTB/SmolLM2-135M",
            "https://github.com/huggingface/smollm/tree/main/text",
            "HuggingFaceTB/SmolLM2-135M",
            ["github:huggingface/smollm", "hf:HuggingFaceTB/SmolLM2-135M"],
        ),
        ("https://huggingface.co/spaces/a/b", "https://github.com/orgs/acme", "", []),
        ("https://huggingface.co/datasets/a/b", "", "not an id", []),
        ("", "", "Qwen/Qwen3-8B", ["hf:Qwen/Qwen3-8B"]),
        ("https://github.com/Acme/Tool", "https://github.com/acme/tool", "", ["github:acme/tool"]),
    ],
)
def test_registry_targets_are_named_by_a_tools_urls(homepage, repository_url, hub_id, targets):
    found = registry_targets_for(homepage=homepage, repository_url=repository_url, hub_id=hub_id)
    assert found == targets
