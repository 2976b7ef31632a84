"""Credentials the caller sends stay with the origin it addressed, whatever redirects say."""

import pytest
from pytest_httpserver import HTTPServer

from verdicts.common.fetch import FetchHTTPError, fetch

TOKEN = {"Authorization": "Bearer secret-token"}


@pytest.fixture
def two_servers(settings):
    """Two loopback servers: one as 127.0.0.1, the other reachable as localhost too."""
    first, second = HTTPServer(host="127.0.0.1", port=0), HTTPServer(host="127.0.0.1", port=0)
    first.start()
    second.start()
    settings.VERDICTS_FETCH_ALLOW_HOSTS = [
        f"127.0.0.1:{first.port}",
        f"127.0.0.1:{second.port}",
        f"localhost:{second.port}",
    ]
    yield first, second
    first.stop()
    second.stop()


def get(url: str, **kwargs):
    return fetch(url, accept=["text/*"], max_bytes=10_000, timeout=5, **kwargs)


def received(server: HTTPServer, path: str) -> dict[str, str]:
    (headers,) = [dict(request.headers) for request, _ in server.log if request.path == path]
    return headers


def test_a_same_origin_redirect_keeps_the_authorization(two_servers):
    first, _ = two_servers
    first.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/new"})
    first.expect_request("/new").respond_with_data("ok", content_type="text/plain")
    assert get(first.url_for("/moved"), headers=TOKEN).body == b"ok"
    assert received(first, "/new")["Authorization"] == "Bearer secret-token"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_redirect_to_another_host_or_port_drops_the_credentials(two_servers, host):
    first, second = two_servers
    elsewhere = f"http://{host}:{second.port}/landing"
    first.expect_request("/away").respond_with_data("", status=302, headers={"Location": elsewhere})
    second.expect_request("/landing").respond_with_data("ok", content_type="text/plain")

    result = get(first.url_for("/away"), headers={**TOKEN, "Cookie": "session=1", "X-Trace": "7"})

    assert result.body == b"ok"
    landed = received(second, "/landing")
    assert "Authorization" not in landed and "Cookie" not in landed
    assert landed["X-Trace"] == "7"  # only credentials are dropped
    assert received(first, "/away")["Authorization"] == "Bearer secret-token"


def test_credentials_dropped_once_are_not_sent_back_to_the_first_origin(two_servers):
    first, second = two_servers
    back = first.url_for("/back")
    first.expect_request("/out").respond_with_data(
        "", status=302, headers={"Location": second.url_for("/bounce")}
    )
    second.expect_request("/bounce").respond_with_data("", status=302, headers={"Location": back})
    first.expect_request("/back").respond_with_data("ok", content_type="text/plain")
    get(first.url_for("/out"), headers={"authorization": "Bearer secret-token"})
    assert "Authorization" not in received(first, "/back")


def test_an_error_status_carries_the_response_headers(two_servers):
    first, _ = two_servers
    first.expect_request("/limited").respond_with_data(
        "", status=403, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800000000"}
    )
    with pytest.raises(FetchHTTPError) as refused:
        get(first.url_for("/limited"))
    assert refused.value.status == 403
    assert refused.value.headers["x-ratelimit-remaining"] == "0"
    assert refused.value.headers["x-ratelimit-reset"] == "1800000000"
