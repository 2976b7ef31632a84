"""The page goals of issue 15 (docs/quality.md): axe-core finds no violation at 1280 and 390 px,
html-validate no error, and the comparison page stays light on first load."""

import gzip
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.browser import CHROMIUM_ARGS, chromium_path
from testkit.quality import (
    COMPARISON,
    FIRST_LOAD_LIMIT,
    HTML_LIMIT,
    NODE_MODULES,
    PAGES,
    WEB_CHECKS,
)

pytestmark = [pytest.mark.browser]

WIDTHS = (1280, 390)
# What production compresses on the way out (GZipMiddleware, WhiteNoise's .gz files); the test
# server sends static files plain, so their wire size is computed the same way here.
COMPRESSED_TYPES = ("text/", "application/javascript", "image/svg+xml", "application/json")


def web_checks() -> Path:
    """The npm packages `make install-dev` installs; missing ones skip locally, fail in CI."""
    if (NODE_MODULES / ".installed").exists():
        return NODE_MODULES
    if os.environ.get("CI"):
        pytest.fail("testkit/web-checks is not installed; `make install-dev` runs npm ci")
    pytest.skip("testkit/web-checks is not installed (make install-dev, needs npm)")


@pytest.fixture
def csp_free_page() -> Iterator:
    """A Chromium page that lets axe's injected script run past the site's script-src 'self'."""
    web_checks()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(bypass_csp=True)
        yield context.new_page()
        context.close()
        browser.close()


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{found['id']} ({found['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in found["nodes"][:3])
        for found in violations
    ]


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_violation_on_any_page_at_either_width(live_server, starter, csp_free_page):
    page = csp_free_page
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in PAGES.items():
            page.goto(live_server.url + path)
            if violations := axe_violations(page):
                found[f"{name} at {width} px"] = violations

    assert found == {}


def test_axe_reports_a_violation_it_is_shown(csp_free_page):
    # The check can fail: an image without a text alternative is one.
    page = csp_free_page
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="x.png">')
    assert any(line.startswith("image-alt") for line in axe_violations(page))


def html_validate(paths: list[Path]) -> dict[str, list[str]]:
    """Each file's html-validate errors, run as the CLI with the committed configuration."""
    # To a file: node exits before a long report written to a pipe is flushed.
    report = paths[0].with_name("html-validate.json")
    result = subprocess.run(
        [
            str(web_checks() / ".bin" / "html-validate"),
            "--config",
            str(WEB_CHECKS / ".htmlvalidate.json"),
            "--formatter",
            f"json={report}",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return {
        Path(entry["filePath"]).stem: [
            f"{message['line']}:{message['column']} {message['ruleId']}: {message['message']}"
            for message in entry["messages"]
            if message["severity"] == 2
        ]
        for entry in json.loads(report.read_text())
        if entry["errorCount"]
    }


@pytest.mark.django_db
def test_html_validate_finds_no_error_on_any_page(client, starter, tmp_path):
    paths = []
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(response.content)

    assert html_validate(paths) == {}


def test_html_validate_reports_an_error_it_is_shown(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<!doctype html><html lang="en"><title>t</title><p><div id="a" id="a">')
    assert html_validate([broken])["broken"]


def wire_bytes(*, content_type: str, body: bytes) -> int:
    if content_type.startswith(COMPRESSED_TYPES):
        return len(gzip.compress(body))
    return len(body)


@pytest.mark.django_db(transaction=True)
def test_the_comparison_page_is_light_on_first_load(live_server, starter, browser_page):
    page = browser_page
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(live_server.url + COMPARISON, wait_until="load")

    bodies = {response.url: (response.headers, response.body()) for response in responses}
    html = bodies[live_server.url + COMPARISON][1]
    wire = {
        url: wire_bytes(content_type=headers.get("content-type", ""), body=body)
        for url, (headers, body) in bodies.items()
    }
    assert len(html) < HTML_LIMIT, len(html)
    # Everything the page asked for was measured: its one stylesheet among them.
    assert any(url.endswith(".css") for url in wire), sorted(wire)
    assert sum(wire.values()) < FIRST_LOAD_LIMIT, wire
