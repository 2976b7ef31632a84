"""Weighing the lenses in a real browser: in place with htmx, and as a plain GET form."""

import pytest

from testkit.browser import SCREENSHOT_DIR, save_screenshot

pytestmark = [pytest.mark.browser]
REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
WEIGHTED = "100% ship · 95% CI 37\u2013100% · weighted: 2.3 effective reviews of 4"


def weigh(page) -> None:
    """More Builder, no Operator (the one persona that skips SmolVLM-3B), then submit."""
    block = page.locator("#lens-weights")
    block.locator("#weight-builder").select_option("3")
    block.locator("#weight-operator").select_option("0")
    block.get_by_role("button", name="Weigh the panel").click()


def smol_line(page) -> str:
    return page.locator("#lens-weights .lens-share").nth(1).inner_text()


@pytest.mark.django_db(transaction=True)
def test_weights_swap_the_block_in_place_with_htmx_and_keep_the_url(
    live_server, starter, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}{REFERENCE}")
    assert "75% ship" in smol_line(page) and "equal weights: 4 effective" in smol_line(page)
    page.evaluate("window.stayedOnPage = true")

    weigh(page)
    page.locator("#lens-weights").get_by_text("weighted: 2.3 effective").first.wait_for()
    assert WEIGHTED in smol_line(page)
    assert "w-builder=3" in page.url and "w-operator=0" in page.url
    assert page.evaluate("window.stayedOnPage") is True
    assert page.locator("#lens-weights").count() == 1
    assert page.locator("#weight-operator").input_value() == "0"
    save_screenshot(page, "comparison-lens-weights-htmx")
    page.locator("#lens-weights").screenshot(path=str(SCREENSHOT_DIR / "comparison-lenses.png"))

    # The pushed URL is shareable: opened afresh, it shows the same weighting.
    page.goto(page.url)
    assert WEIGHTED in smol_line(page)


@pytest.mark.django_db(transaction=True)
def test_weights_work_as_a_plain_get_form_without_javascript(live_server, starter, no_script_page):
    page = no_script_page
    page.goto(f"{live_server.url}{REFERENCE}")
    weigh(page)
    page.wait_for_url("**w-operator=0**")
    assert WEIGHTED in smol_line(page)
    assert page.locator("#weight-builder").input_value() == "3"

    page.goto(f"{live_server.url}{REFERENCE}?w-builder=lots")
    text = page.locator("#lens-weights").inner_text()
    assert 'A lens weight is one of 0, 1, 2, 3; got "lots". Showing equal weights.' in text
    assert "75% ship" in smol_line(page)
