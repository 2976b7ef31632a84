"""The compare-any-two picker in a real browser with JavaScript off: a plain GET form."""

import pytest

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_the_picker_works_without_javascript(live_server, starter, no_script_page):
    page = no_script_page
    page.goto(live_server.url)
    page.get_by_label("First tool").fill("smolvlm-3b")
    page.get_by_label("Second tool").fill("Claude 4 Sonnet")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**/compare/claude-4-sonnet-vs-smolvlm-3b/")
    assert page.locator("h1").inner_text() == "Claude 4 Sonnet vs SmolVLM-3B"

    page.goto(f"{live_server.url}/tools/gpt-4o/")
    assert page.get_by_label("First tool").input_value() == "gpt-4o"
    page.get_by_label("Second tool").fill("llama-3-3-70b")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**/compare/pair/?a=gpt-4o&b=llama-3-3-70b")
    assert "Not yet reviewed as a pair." in page.locator(".page-head .lead").inner_text()
    rows = page.locator(".specs-table tbody tr")
    assert rows.count() == 8
    assert rows.nth(0).inner_text().split("\t")[0] == "Context window"
