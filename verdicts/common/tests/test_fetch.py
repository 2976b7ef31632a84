"""The fetcher against real HTTP servers on loopback, reached only through the allow-list."""

import ipaddress
import re
import socket

import httpcore2
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from verdicts.common.fetch import (
    FetchHTTPError,
    FetchRefused,
    FetchTooLarge,
    FetchTooManyRedirects,
    FetchWrongType,
    address_problem,
    fetch,
)
from verdicts.common.fetch import guard as fetch_module

TEXT = ("text/*",)


def server_on(host: str) -> HTTPServer:
    server = HTTPServer(host=host, port=0)
    server.start()
    return server


@pytest.fixture(scope="module")
def servers():
    v4 = server_on("127.0.0.1")
    v6 = server_on("::1")
    yield v4, v6
    v4.stop()
    v6.stop()


@pytest.fixture
def server(servers, settings):
    """The IPv4 loopback server; its port is allowed, its address is not (until a test says)."""
    v4, v6 = servers
    v4.clear()
    v6.clear()
    settings.VERDICTS_FETCH_ALLOWED_PORTS = [80, 443, v4.port, v6.port]
    settings.VERDICTS_FETCH_ALLOW_HOSTS = []
    yield v4
    v4.clear()


@pytest.fixture
def allowed(server, settings):
    settings.VERDICTS_FETCH_ALLOW_HOSTS = [f"127.0.0.1:{server.port}"]
    return server


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if the fetcher opens any socket at all."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"connected to {args}")

    monkeypatch.setattr(httpcore2.SyncBackend, "connect_tcp", refuse)


def get(url: str, **kwargs):
    kwargs.setdefault("accept", TEXT)
    kwargs.setdefault("max_bytes", 10_000)
    kwargs.setdefault("timeout", 5)
    return fetch(url, **kwargs)


LOOPBACK_SPELLINGS = [
    ("http://127.0.0.1:{v4}/", "refused: 127.0.0.1 is a loopback address"),
    ("http://127.1:{v4}/", "refused: 127.1 resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f.0.0.1:{v4}/", "refused: 0x7f.0.0.1 resolves to 127.0.0.1, a loopback"),
    ("http://017700000001:{v4}/", "refused: 017700000001 resolves to 127.0.0.1, a loopback"),
    ("http://2130706433:{v4}/", "refused: 2130706433 resolves to 127.0.0.1, a loopback"),
    ("http://localhost:{v4}/", "refused: localhost resolves to 127.0.0.1, a loopback"),
    ("http://LocalHost.:{v4}/", "refused: localhost resolves to 127.0.0.1, a loopback"),
    ("http://[::1]:{v6}/", "refused: ::1 is a loopback address"),
    (
        "http://[::ffff:127.0.0.1]:{v4}/",
        "refused: ::ffff:127.0.0.1 is a loopback address in its IPv4-mapped form",
    ),
]


@pytest.mark.parametrize(("template", "message"), LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused_before_any_request(
    servers, server, template, message
):
    v4, v6 = servers
    v4.expect_request("/").respond_with_data("secret")
    v6.expect_request("/").respond_with_data("secret")
    with pytest.raises(FetchRefused) as refused:
        get(template.format(v4=v4.port, v6=v6.port))
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert v4.log == [] and v6.log == []


INTERNAL = [
    ("10.1.2.3", "a private address"),
    ("172.16.0.1", "a private address"),
    ("192.168.1.1", "a private address"),
    ("169.254.1.1", "a link-local address"),
    ("169.254.169.254", "a cloud metadata address"),
    ("[fd00:ec2::254]", "a cloud metadata address"),
    ("100.64.0.1", "a shared (CGNAT) address"),
    ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("0.0.0.0", "an unspecified address"),
    ("[::]", "an unspecified address"),
    ("[fe80::1]", "a link-local address"),
    ("[fc00::1]", "a private address"),
    ("[ff02::1]", "a multicast address"),
    ("[::ffff:10.0.0.1]", "a private address in its IPv4-mapped form"),
    ("[::127.0.0.1]", "a loopback address in its IPv4-compatible form"),
    ("[2002:7f00:1::]", "a loopback address in its 6to4 form"),
    ("[2002:a9fe:a9fe::]", "a cloud metadata address in its 6to4 form"),
    ("[64:ff9b::7f00:1]", "a loopback address in its NAT64 form"),
    ("[64:ff9b::c0a8:101]", "a private address in its NAT64 form"),
    ("192.0.2.1", "a private address"),  # documentation range: not routable
]


@pytest.mark.parametrize(("host", "problem"), INTERNAL)
def test_internal_addresses_are_refused_without_connecting(server, no_connections, host, problem):
    with pytest.raises(FetchRefused, match=f"is {re.escape(problem)}"):
        get(f"http://{host}/")


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"])
def test_public_addresses_pass_the_address_check(address):
    assert address_problem(ipaddress.ip_address(address)) == ""


def test_a_name_resolving_to_a_private_address_is_refused(server, no_connections, monkeypatch):
    answer = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80))]
    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", lambda *a, **k: answer)
    with pytest.raises(
        FetchRefused, match=r"^refused: evil\.example resolves to 10\.0\.0\.5, a private"
    ):
        get("http://evil.example/")


def test_other_schemes_and_ports_are_refused(server, no_connections):
    for url, message in [
        ("ftp://example.com/file", "refused: ftp scheme, only http and https"),
        ("file:///etc/passwd", "refused: file scheme"),
        ("http://example.com:8080/", "refused: port 8080 is not allowed"),
    ]:
        with pytest.raises(FetchRefused, match=message):
            get(url)


def test_an_allowed_host_is_fetched_with_the_sites_user_agent(allowed, settings):
    allowed.expect_request("/doc").respond_with_data("hello", content_type="text/plain")
    result = get(allowed.url_for("/doc").replace("localhost", "127.0.0.1"))
    assert (result.status, result.body, result.content_type) == (200, b"hello", "text/plain")
    ((request, _),) = allowed.log
    agent = request.headers["User-Agent"]
    assert settings.SITE_NAME in agent and settings.SITE_URL in agent
    assert request.headers["Host"] == f"127.0.0.1:{allowed.port}"


def test_the_allow_list_names_a_host_exactly_as_written(allowed):
    allowed.expect_request("/").respond_with_data("secret")
    for spelling in ("localhost", "127.1"):
        with pytest.raises(FetchRefused, match="a loopback address"):
            get(f"http://{spelling}:{allowed.port}/")
    assert allowed.log == []


def test_a_host_is_resolved_once_and_its_checked_address_connected(server, settings, monkeypatch):
    """A second, different DNS answer (rebinding) is never asked for, so never used."""
    settings.VERDICTS_FETCH_ALLOW_HOSTS = [f"docs.internal:{server.port}"]
    server.expect_request("/").respond_with_data("mirror", content_type="text/plain")
    answers = [
        [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", server.port))],
        [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.255.255.1", server.port))],
    ]
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        return answers.pop(0) if host == "docs.internal" else real(host, *args, **kwargs)

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", resolve)
    assert get(f"http://docs.internal:{server.port}/").body == b"mirror"
    assert len(answers) == 1
    ((request, _),) = server.log
    assert request.headers["Host"] == f"docs.internal:{server.port}"


def test_a_redirect_to_a_refused_address_is_refused_before_it_is_followed(allowed, servers):
    port = allowed.port
    allowed.expect_request("/to-localhost").respond_with_data(
        "", status=302, headers={"Location": f"http://localhost:{port}/secret"}
    )
    allowed.expect_request("/to-metadata").respond_with_data(
        "", status=307, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    allowed.expect_request("/secret").respond_with_data("secret")
    base = f"http://127.0.0.1:{port}"
    with pytest.raises(FetchRefused, match=r"localhost resolves to 127\.0\.0\.1, a loopback"):
        get(f"{base}/to-localhost")
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254 is a cloud metadata address"):
        get(f"{base}/to-metadata")
    assert [request.path for request, _ in allowed.log] == ["/to-localhost", "/to-metadata"]


def test_redirects_are_followed_up_to_the_hop_cap(allowed):
    base = f"http://127.0.0.1:{allowed.port}"
    allowed.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    allowed.expect_request("/b").respond_with_data("end", content_type="text/plain")
    allowed.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    result = get(f"{base}/a")
    assert (result.body, result.url) == (b"end", f"{base}/b")
    with pytest.raises(FetchTooManyRedirects, match="redirected more than 3 times"):
        get(f"{base}/loop", max_redirects=3)
    assert [request.path for request, _ in allowed.log].count("/loop") == 4


def test_a_body_over_the_cap_is_cut_off_while_streaming(allowed):
    sent = []

    def big(request):
        def chunks():
            for _ in range(1000):
                sent.append(1)
                yield b"x" * 10_000

        return Response(chunks(), content_type="text/plain")

    allowed.expect_request("/big").respond_with_handler(big)
    allowed.expect_request("/declared").respond_with_data("x" * 20_000)
    base = f"http://127.0.0.1:{allowed.port}"
    with pytest.raises(FetchTooLarge, match="larger than 50000 bytes"):
        get(f"{base}/big", max_bytes=50_000)
    with pytest.raises(FetchTooLarge, match="larger than 10000 bytes"):
        get(f"{base}/declared", max_bytes=10_000)
    assert len(sent) < 1000  # the rest of the 10 MB was never read


def test_a_content_type_the_caller_does_not_accept_is_refused(allowed):
    allowed.expect_request("/logo").respond_with_data(b"\x89PNG", content_type="image/png")
    url = f"http://127.0.0.1:{allowed.port}/logo"
    with pytest.raises(FetchWrongType, match="is image/png, not an accepted type"):
        get(url, accept=("text/html", "application/json"))
    assert get(url, accept=("image/*",)).body == b"\x89PNG"


def test_a_conditional_request_gets_not_modified(allowed):
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response("v1", content_type="text/plain", headers={"ETag": '"v1"'})

    allowed.expect_request("/doc").respond_with_handler(conditional)
    url = f"http://127.0.0.1:{allowed.port}/doc"
    first = get(url)
    assert (first.body, first.etag, first.not_modified) == (b"v1", '"v1"', False)
    again = get(url, etag=first.etag, last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    assert (again.status, again.not_modified, again.body) == (304, True, b"")
    request, _ = allowed.log[-1]
    assert request.headers["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_retry_after_is_reported_not_waited_for(allowed):
    allowed.expect_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    allowed.expect_request("/down").respond_with_data(
        "later", status=503, headers={"Retry-After": "Fri, 31 Dec 1999 23:59:59 GMT"}
    )
    allowed.expect_request("/gone").respond_with_data("", status=404)
    base = f"http://127.0.0.1:{allowed.port}"
    with pytest.raises(FetchHTTPError, match=r"answered HTTP 429 .*; retry after 120 s") as busy:
        get(f"{base}/busy")
    assert (busy.value.status, busy.value.retry_after) == (429, 120)
    with pytest.raises(FetchHTTPError) as down:
        get(f"{base}/down")
    assert (down.value.status, down.value.retry_after) == (503, 0)
    with pytest.raises(FetchHTTPError) as gone:
        get(f"{base}/gone")
    assert (gone.value.status, gone.value.retry_after) == (404, None)
