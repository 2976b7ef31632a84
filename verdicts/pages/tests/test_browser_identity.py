"""The visual identity in a real browser: the mark, letter marks, and both colour schemes."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.browser import CHROMIUM_ARGS, chromium_path, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
COLOURS = """selector => {
  const style = getComputedStyle(document.querySelector(selector));
  return [style.backgroundColor, style.color];
}"""


def luminance(css: str) -> float:
    r, g, b = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("path", ["/", REFERENCE, "/tools/smolvlm-3b/"])
def test_dark_readers_get_a_dark_page_with_light_text(live_server, starter, browser_page, path):
    page = browser_page
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}{path}")
    background, text = page.evaluate(COLOURS, "body")
    assert luminance(background) < 0.02 and luminance(text) > 0.7
    side_background, _ = page.evaluate(COLOURS, ".site-footer")
    assert luminance(side_background) < 0.02, "no light panel left behind in the dark"
    if path == REFERENCE:
        save_screenshot(page, "comparison-dark-1280")


def test_light_is_the_default_and_the_header_carries_the_mark(live_server, starter, browser_page):
    page = browser_page
    page.emulate_media(color_scheme="light")
    page.goto(f"{live_server.url}/tools/smolvlm-3b/")
    background, text = page.evaluate(COLOURS, "body")
    assert luminance(background) > 0.9 and luminance(text) < 0.02
    mark = page.locator(".brand .brand-mark")
    assert mark.is_visible() and mark.get_attribute("aria-hidden") == "true"
    assert page.locator(".brand").inner_text().strip() == "Verdicts"
    initial = page.evaluate(
        "getComputedStyle(document.querySelector('h1 .tool-mark'), '::before').content"
    )
    assert initial == '"S"'
    assert page.locator("h1").inner_text().strip().endswith("SmolVLM-3B")


AXE = Path(__file__).resolve().parents[3] / "testkit" / "web-checks" / "node_modules" / "axe-core"


@pytest.fixture
def dark_page() -> Iterator:
    """Chromium in the dark scheme, letting axe's injected script past script-src 'self'."""
    if not (AXE / "axe.min.js").exists():
        pytest.skip("axe-core is not installed (make install-dev, needs npm)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(bypass_csp=True, color_scheme="dark")
        yield context.new_page()
        context.close()
        browser.close()


@pytest.mark.parametrize("path", ["/", REFERENCE, "/tools/smolvlm-3b/", "/tools/"])
def test_axe_finds_no_contrast_failure_in_the_dark(live_server, starter, dark_page, path):
    dark_page.goto(f"{live_server.url}{path}")
    dark_page.add_script_tag(path=str(AXE / "axe.min.js"))
    found = dark_page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['color-contrast']})).violations"
    )
    assert [" ".join(node["target"]) for item in found for node in item["nodes"]] == []
