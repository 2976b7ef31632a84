"""Whole pages in a real browser, as keyboard, screen-reader, phone and no-JS readers meet them."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from testkit.browser import save_screenshot
from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.votes.models import PairVote
from verdicts.votes.services.rankings import rankings_recompute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
PAGES = ["/", REFERENCE, "/tools/smolvlm-3b/"]
FOCUS_STYLE = """element => {
  const style = getComputedStyle(element);
  return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          shadow: style.boxShadow};
}"""


def reference_ids() -> tuple[int, int]:
    """The reference comparison's id and its first tool's, on a connection closed at once."""
    try:
        comparison = Comparison.objects.get(slug="claude-4-sonnet-vs-smolvlm-3b")
        return comparison.pk, comparison.tool_a_id
    finally:
        connection.close()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


@pytest.mark.parametrize("path", PAGES)
def test_the_favicon_and_feed_links_answer(live_server, starter, browser_page, path):
    page = browser_page
    page.goto(f"{live_server.url}{path}")
    icons = page.locator("link[rel~=icon]")
    assert icons.count() >= 1, "a favicon link"
    feeds = page.locator('link[rel=alternate][type$="+xml"]')
    assert feeds.count() >= 1, "feed autodiscovery links"
    for link in (*icons.all(), *feeds.all()):
        href = link.evaluate("element => element.href")
        assert page.request.get(href).status == 200, href


@pytest.mark.parametrize("path", PAGES)
def test_tab_shows_a_visible_focus_ring(live_server, starter, browser_page, path):
    page = browser_page
    page.goto(f"{live_server.url}{path}")
    page.locator("#site-search").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    style = page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")
    assert style["outline"] == "solid" and style["width"] >= 2, style
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")["outline"] == "solid"


def test_an_htmx_vote_keeps_focus_on_the_pressed_button_and_announces_it(
    live_server, starter, browser_page
):
    comparison_id, tool_id = reference_ids()
    page = browser_page
    page.goto(f"{live_server.url}{REFERENCE}")
    page.evaluate("window.stayedOnPage = true")
    live_region = page.locator("#live-status")
    assert live_region.get_attribute("aria-live") == "polite"

    page.locator(f"#vote-{tool_id}-ship").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_have_text("Your vote: ship.")
    assert focused_id(page) == f"vote-{tool_id}-ship"
    assert page.locator(f"#vote-{tool_id}-ship").get_attribute("aria-pressed") == "true"
    assert page.locator("[role=status], [aria-live]").count() == 1, "one live region, never swapped"

    page.locator(f"#pick-{comparison_id}-tie").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_have_text("Your pick: too close to call.")
    assert focused_id(page) == f"pick-{comparison_id}-tie"

    # The withdraw button goes away with the pick: focus moves to the result, not the page top.
    page.locator(f"#pick-{comparison_id}-withdraw").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_have_text("You have not picked yet.")
    assert page.evaluate("document.activeElement.closest('.pick') !== null")
    assert page.evaluate("window.stayedOnPage") is True


def test_an_htmx_signup_error_is_shown_in_place_and_announced(live_server, starter, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}{REFERENCE}")
    signup = page.locator("#newsletter-comparison")
    signup.get_by_label("Email address").fill("not-an-address")
    page.locator("#newsletter-submit-comparison").focus()
    page.keyboard.press("Enter")
    error = page.locator("#newsletter-error-comparison")
    error.wait_for()
    assert page.url == f"{live_server.url}{REFERENCE}"
    assert signup.get_by_label("Email address").get_attribute("aria-describedby") == (
        "newsletter-error-comparison"
    )
    assert focused_id(page) == "newsletter-submit-comparison"
    expect(page.locator("#live-status")).to_have_text(error.inner_text())
    save_screenshot(page, "signup-error-htmx")


def test_the_calculator_keeps_focus_on_the_pressed_preset_and_announces_the_scenario(
    live_server, starter, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}{REFERENCE}")
    page.locator("#preset-team").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_contain_text("Scenario: A team of 10 developers")
    assert focused_id(page) == "preset-team"
    page.locator("#id_seats").fill("3")
    page.locator("#cost-submit").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_contain_text("3 seats")
    assert focused_id(page) == "cost-submit"


def test_pages_fit_a_phone_screen(live_server, starter, browser_page):
    tools = list(Tool.objects.order_by("pk")[:3])
    for index, (tool_a, tool_b) in enumerate(((tools[0], tools[1]), (tools[1], tools[2]))):
        comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
        PairVote.objects.bulk_create(
            PairVote(comparison=comparison, voter_key=f"anon:{index}-{i}", pick="ab"[i % 2])
            for i in range(9)
        )
    rankings_recompute(samples=50)
    connection.close()
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/rankings/", REFERENCE):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(f"{live_server.url}/rankings/")
    table = page.get_by_role("region", name="Head-to-head ranking table")
    assert table.get_attribute("tabindex") == "0", "a keyboard can scroll the table"
    save_screenshot(page, "rankings-phone")


def test_a_plain_vote_lands_back_on_its_form(live_server, starter, no_script_page):
    comparison_id, _ = reference_ids()
    page = no_script_page
    page.goto(f"{live_server.url}{REFERENCE}")
    page.locator(f"#pick-{comparison_id}-a").click()
    page.wait_for_url(f"**{REFERENCE}#pick-{comparison_id}")
    box = page.locator(f"#pick-{comparison_id}").bounding_box()
    assert page.evaluate("window.scrollY") > 0
    assert -1 <= box["y"] < page.viewport_size["height"], "the pick is on screen"


def test_a_plain_signup_offers_the_way_back(live_server, starter, no_script_page):
    page = no_script_page
    page.goto(f"{live_server.url}{REFERENCE}")
    page.locator("#newsletter-comparison").get_by_label("Email address").fill("nojs@example.com")
    page.locator("#newsletter-submit-comparison").click()
    page.get_by_text("a confirmation link is on its way").wait_for()
    page.get_by_role("link", name="Back to the page you were reading").click()
    page.wait_for_url(f"**{REFERENCE}#newsletter-comparison")
