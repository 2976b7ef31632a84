import pytest

from testkit.browser import save_screenshot

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_a_reader_sees_the_reference_comparison(live_server, starter, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/compare/claude-4-sonnet-vs-smolvlm-3b/")

    assert page.title().startswith("Claude 4 Sonnet vs SmolVLM-3B")
    assert page.locator("h1").inner_text() == "Claude 4 Sonnet vs SmolVLM-3B"
    sides = page.locator(".side")
    assert sides.count() == 2
    claude, smol = sides.nth(0), sides.nth(1)
    assert claude.locator(".tool-name").inner_text() == "Claude 4 Sonnet"
    assert "100%" in claude.locator(".figure").nth(0).inner_text()
    assert "4 of 4 ship" in claude.locator(".figure").nth(0).inner_text()
    assert "75%" in smol.locator(".figure").nth(0).inner_text()
    assert "3 of 4 ship" in smol.locator(".figure").nth(0).inner_text()
    assert "—" in claude.locator(".figure").nth(1).inner_text()
    assert "Paid" in claude.locator(".figure").nth(2).inner_text()
    assert "Free" in smol.locator(".figure").nth(2).inner_text()
    assert smol.get_by_text("Open weights").is_visible()
    assert page.locator(".scorecard .review").count() == 8
    assert page.locator(".split-chart").is_visible()

    # The stylesheet loaded: the two sides sit next to each other, not stacked.
    claude_box, smol_box = claude.bounding_box(), smol.bounding_box()
    assert smol_box["x"] > claude_box["x"] + claude_box["width"] - 1
    assert abs(smol_box["y"] - claude_box["y"]) < 2

    save_screenshot(page, "comparison-claude-4-sonnet-vs-smolvlm-3b")


@pytest.mark.django_db(transaction=True)
def test_a_reader_searches_and_reaches_a_tool(live_server, starter, browser_page):
    page = browser_page
    page.goto(live_server.url)
    page.get_by_label("Search the catalog").fill("ollama")
    page.get_by_label("Search the catalog").press("Enter")
    page.wait_for_url("**/search?q=ollama")
    page.get_by_role("link", name="Ollama", exact=True).click()
    page.wait_for_url("**/tools/ollama/")
    assert page.locator("h1").inner_text() == "Ollama"
