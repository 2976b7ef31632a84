"""The comparison page as a decision, at 1280 px and 390 px, with and without JavaScript."""

import pytest

from testkit.browser import save_screenshot
from testkit.pages import REFERENCE

pytestmark = [pytest.mark.browser]
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The page's sections, top to bottom. The reference pair was never asked head to head, so
# that section is checked for its place only when it is there.
SECTIONS = [
    "#figures",
    "#bottom-line",
    "#scorecard",
    "#specifications",
    "#split",
    "#head-to-head",
    "#cost-panel",
    "#vote",
    "#newsletter-comparison",
]
OPTIONAL = {"#head-to-head"}
# The smallest rendered size of the split chart's text: font size times the drawing's scale.
SMALLEST_CHART_TEXT = """() => {
  const svg = document.querySelector('.split-chart');
  const scale = svg.getScreenCTM().a;
  return Math.min(...[...svg.querySelectorAll('text')].map(
    (t) => parseFloat(getComputedStyle(t).fontSize) * scale));
}"""


def section_tops(page) -> dict[str, float]:
    """The top of each section the page has, by selector, in the order of SECTIONS."""
    tops = {}
    for selector in SECTIONS:
        found = page.locator(selector)
        if found.count():
            tops[selector] = found.first.bounding_box()["y"]
    return tops


@pytest.fixture
def reference(live_server, starter):
    """Open the reference comparison at a width: returns the page after loading it."""

    def go(page, viewport):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}{REFERENCE}")
        return page

    return go


def assert_sections_in_order(page) -> None:
    tops = section_tops(page)
    assert set(SECTIONS) - OPTIONAL <= set(tops)
    assert list(tops.values()) == sorted(tops.values())


def assert_navigation_reaches_every_section(page) -> None:
    nav = page.get_by_role("navigation", name="On this page")
    hrefs = [link.get_attribute("href") for link in nav.get_by_role("link").all()]
    assert set(SECTIONS) - OPTIONAL <= set(hrefs)
    for href in hrefs:
        assert page.locator(href).count() == 1, href


@pytest.mark.django_db(transaction=True)
def test_at_1280_the_decision_comes_first_and_the_scorecard_within_two_screens(
    reference, browser_page
):
    page = reference(browser_page, WIDE)
    assert_sections_in_order(page)
    assert_navigation_reaches_every_section(page)
    assert page.locator("#scorecard").bounding_box()["y"] < 2 * WIDE["height"]

    # The headline figures carry the intervals as bars, each with words for a screen reader.
    bars = page.locator("#figures .interval-bar")
    assert bars.count() == 2, "the panel's two bars; no votes yet, so no community bar"
    assert bars.nth(1).get_attribute("aria-label") == (
        "Panel: 3 of 4 ship, 75%, 95% interval 30%\u201395%"
    )
    assert "3 of 4 ship · 95% CI 30\u201395%" in page.locator("#figures .side").nth(1).inner_text()

    # Each review opens with its takeaway; at this width the rest shows too, with no click.
    review = page.locator("#scorecard .review").first
    assert review.locator(".verdict").inner_text().lower() == "ship"
    assert review.locator(".takeaway").is_visible()
    assert review.locator(".review-more p").is_visible()
    assert page.locator(".split-chart").is_visible()
    save_screenshot(page, "comparison-layout-1280")


@pytest.mark.django_db(transaction=True)
def test_at_390_the_pair_stays_side_by_side_and_the_header_stays_on_screen(reference, browser_page):
    page = reference(browser_page, PHONE)
    assert_sections_in_order(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Both tools' headline figures share the first screen, in two columns.
    first, second = (side.bounding_box() for side in page.locator("#figures .side").all())
    assert second["x"] > first["x"] + first["width"] - 1
    assert abs(second["y"] - first["y"]) < 2

    # Further down, the pinned header still names both tools with their figures.
    page.locator("#split").scroll_into_view_if_needed()
    bar = page.locator(".pair-bar")
    assert bar.is_visible()
    box = bar.bounding_box()
    assert -1 <= box["y"] <= 1
    names = bar.locator(".pair-bar-name")
    assert names.all_inner_texts() == ["Claude 4 Sonnet", "SmolVLM-3B"]
    left, right = (name.bounding_box() for name in names.all())
    assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"]
    assert "Panel 75% (3/4)" in bar.inner_text()

    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12

    # Reviews fold after their takeaway on a phone.
    review = page.locator("#scorecard .review").first
    assert review.locator(".takeaway").is_visible()
    assert not review.locator(".review-more p").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, "comparison-layout-390")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_the_page_works_without_javascript(reference, no_script_page, viewport):
    page = reference(no_script_page, viewport)
    assert_sections_in_order(page)
    assert_navigation_reaches_every_section(page)
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Split").click()
    page.wait_for_url("**#split")
    assert page.locator("#split-title").is_visible()
    assert page.locator(".pair-bar").is_visible()

    review = page.locator("#scorecard .review").first
    if viewport is PHONE:
        review.locator("summary").click()
    assert review.locator(".review-more p").is_visible()
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12
