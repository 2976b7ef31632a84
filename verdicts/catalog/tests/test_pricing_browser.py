"""The cost panel in a real browser: in place with htmx, and as a plain GET form without JS."""

import pytest

from testkit.browser import SCREENSHOT_DIR, save_screenshot

pytestmark = [pytest.mark.browser]
REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"


def fill_scenario(page) -> None:
    panel = page.locator("#cost-panel")
    panel.get_by_label("Seats").fill("1")
    panel.get_by_label("Requests a month").fill("1000")
    panel.get_by_label("Input tokens a request").fill("10000")
    panel.get_by_label("Output tokens a request").fill("1000")
    panel.get_by_role("button", name="Work out the cost").click()


@pytest.mark.django_db(transaction=True)
def test_cost_panel_updates_in_place_with_htmx(live_server, starter, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}{REFERENCE}")
    assert "$2,880.00 a month" in page.locator("#cost-panel").inner_text()
    page.evaluate("window.stayedOnPage = true")

    page.locator("#cost-panel").get_by_role("link", name="A team of 10 developers").click()
    page.locator("#cost-panel").get_by_text("Scenario: A team of 10 developers").wait_for()
    assert page.url.endswith(f"{REFERENCE}?preset=team")

    fill_scenario(page)
    page.locator("#cost-panel").get_by_text("$45.00 a month").wait_for()
    assert "requests=1000" in page.url and "input_tokens=10000" in page.url
    text = page.locator("#cost-panel").inner_text()
    assert "self-hosted" in text and "1,000 requests a month" in text
    assert page.evaluate("window.stayedOnPage") is True
    assert page.locator("#cost-panel").count() == 1
    save_screenshot(page, "pricing-comparison-htmx")
    page.locator("#cost-panel").screenshot(path=str(SCREENSHOT_DIR / "pricing-cost-panel.png"))


@pytest.mark.django_db(transaction=True)
def test_cost_panel_works_as_a_plain_get_form_without_javascript(
    live_server, starter, no_script_page
):
    page = no_script_page
    page.goto(f"{live_server.url}{REFERENCE}")
    fill_scenario(page)
    page.wait_for_url("**requests=1000**")
    assert "$45.00 a month" in page.locator("#cost-panel").inner_text()
    page.goto(f"{live_server.url}{REFERENCE}?seats=0")
    assert "Ensure this value is greater than or equal to 1." in page.content()
