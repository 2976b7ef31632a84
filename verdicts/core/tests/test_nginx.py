"""The shipped nginx configuration, run by the real nginx in front of a real `verdicts serve`.

The plain-HTTP loopback server includes the same deploy/verdicts-http.conf and
verdicts-site.conf as the shipped TLS server (bench/_serve_nginx.py renders them); the whole
shipped deploy/nginx.conf, TLS included, must pass `nginx -t`.
"""

import http.client
import json
import shutil
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench._serve_nginx import (
    nginx_loopback_render,
    nginx_running,
    nginx_shipped_render,
    nginx_test,
)
from testkit.sites import Site, free_port, http_status, wait_until

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None,
    reason="nginx is not on PATH (Debian: apt-get install nginx; .ci/run installs it)",
)

COMPARISON = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
TOOL = "claude-4-sonnet"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str, *, method: str = "GET", headers: dict | None = None, data=None) -> Answer:
    """One request as sent, redirects not followed; no Accept-Encoding unless given."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        connection.request(method, parts.path, body=data, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


@dataclass(frozen=True)
class Proxied:
    url: str
    gunicorn_log: Path
    var_dir: Path


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Proxied:
    """`verdicts serve` with the page cache on, behind nginx on the shipped configuration."""
    site = Site(tmp_path_factory.mktemp("site"))
    site.env |= {"PAGE_CACHE_ENABLED": "1"}
    site.run("init")
    upstream_port, port = free_port(), free_port()
    log = site.var_dir / "serve.log"
    serve = ("serve", "--no-worker", "--port", str(upstream_port), "--workers", "2")
    with site.running(*serve, log=log) as process:
        wait_until(
            lambda: http_status(f"http://127.0.0.1:{upstream_port}/") is not None, process, log
        )
        config = nginx_loopback_render(
            scratch=tmp_path_factory.mktemp("nginx"),
            port=port,
            upstream_port=upstream_port,
            var_dir=site.var_dir,
        )
        with nginx_running(config=config, port=port):
            yield Proxied(f"http://127.0.0.1:{port}", log, site.var_dir)


def test_the_shipped_configuration_with_tls_passes_nginx_t(tmp_path):
    config = nginx_shipped_render(scratch=tmp_path, upstream_port=free_port(), var_dir=tmp_path)
    checked = nginx_test(config)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_a_second_anonymous_reader_is_answered_by_nginx(proxied):
    first = fetch(proxied.url + COMPARISON)
    second = fetch(proxied.url + COMPARISON)
    assert first.status == second.status == 200
    assert first.headers["X-Cache-Status"] in ("MISS", "EXPIRED")
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.body == first.body and b"claude" in second.body.lower()
    assert "s-maxage=" in second.headers["Cache-Control"]


def test_gzip_and_plain_readers_are_stored_apart(proxied):
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    plain = fetch(proxied.url + "/rankings/")
    zipped = fetch(proxied.url + "/rankings/", headers=browser)
    again = fetch(proxied.url + "/rankings/", headers=browser)
    refused = fetch(proxied.url + "/rankings/", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in plain.headers and plain.body.startswith(b"<!")
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.body[:2] == b"\x1f\x8b"
    assert again.headers["X-Cache-Status"] == "HIT" and again.body == zipped.body
    assert "Content-Encoding" not in refused.headers and refused.body == plain.body


def test_a_reader_with_a_voter_cookie_is_passed_through_and_not_stored(proxied):
    path = f"/tools/{TOOL}/"
    personal = {"Cookie": "theme=dark; verdicts_voter=someone"}
    assert fetch(proxied.url + path).status == 200
    own = fetch(proxied.url + path, headers=personal)
    assert own.headers["X-Cache-Status"] == "BYPASS"
    assert "private" in own.headers["Cache-Control"]
    assert fetch(proxied.url + path, headers=personal).headers["X-Cache-Status"] == "BYPASS"
    # What the bypassed request got replaced nothing: anonymous readers still share one copy.
    assert fetch(proxied.url + path).headers["X-Cache-Status"] == "HIT"
    session = fetch(proxied.url + path, headers={"Cookie": "sessionid=abc"})
    assert session.headers["X-Cache-Status"] == "BYPASS"


def test_posts_always_reach_the_site(proxied):
    url = f"{proxied.url}/votes/tools/{TOOL}/"
    headers = {
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    voters = set()
    for _ in range(2):
        answer = fetch(url, method="POST", headers=headers, data=b"choice=ship")
        assert answer.status == 303, answer
        assert answer.headers.get("X-Cache-Status", "") == ""
        voters.add(answer.headers["Set-Cookie"].split(";")[0])
    # Each POST reached the site: each minted a voter of its own.
    assert len(voters) == 2
    # gunicorn logs a request after answering it: give the second line a moment.
    deadline = time.monotonic() + 5
    while proxied.gunicorn_log.read_text().count(f"POST /votes/tools/{TOOL}/ ") < 2:
        assert time.monotonic() < deadline, proxied.gunicorn_log.read_text()
        time.sleep(0.05)


def test_static_files_come_from_nginx_with_long_lives_for_hashed_names(proxied):
    manifest = json.loads((proxied.var_dir / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["common/site.css"]
    answer = fetch(f"{proxied.url}/static/{hashed}")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/css"
    assert "immutable" in answer.headers["Cache-Control"]
    assert answer.body == (proxied.var_dir / "static" / hashed).read_bytes()
    zipped = fetch(f"{proxied.url}/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    plain = fetch(f"{proxied.url}/static/common/site.css")
    assert "immutable" not in plain.headers["Cache-Control"]
    assert fetch(f"{proxied.url}/static/common/missing.css").status == 404
    assert "/static/" not in proxied.gunicorn_log.read_text()
