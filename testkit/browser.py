"""Launching Debian's Chromium through Playwright for the browser tests."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-output"


def chromium_path() -> str:
    """Debian's chromium; a missing browser skips locally and fails in CI."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it with apt")
    pytest.skip("chromium is not installed (apt-get install chromium)")


@contextmanager
def chromium_page(*, javascript: bool = True) -> Iterator:
    """A Playwright page in headless Chromium; never downloads a browser."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
        )
        yield context.new_page()
        context.close()
        browser.close()


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


@pytest.fixture
def no_script_page():
    """A page with JavaScript switched off: the plain-form path."""
    with chromium_page(javascript=False) as page:
        yield page


def save_screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
