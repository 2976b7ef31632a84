"""/tools/ facets in a real browser with JavaScript switched off: plain links all the way."""

import re

import pytest

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_a_reader_narrows_and_sorts_tools_without_javascript(live_server, starter, no_script_page):
    page = no_script_page
    page.goto(f"{live_server.url}/tools/")
    rows = page.locator(".tool-table tbody tr")
    assert rows.count() == 26

    licences = page.get_by_role("list", name="Licence")
    licences.get_by_role("link", name="Open source").click()
    page.wait_for_url("**/tools/?licence=open-source")
    open_source = rows.count()
    assert 0 < open_source < 26

    page.get_by_role("list", name="Modality").get_by_role("link", name="Images").click()
    page.wait_for_url("**/tools/?licence=open-source&modality=image")
    names = page.locator(".tool-table tbody th a").all_inner_texts()
    assert names == ["Moondream 2", "Pixtral 12B", "Qwen2.5-VL-7B-Instruct", "SmolVLM-3B"]
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical.endswith("/tools/?licence=open-source&modality=image")

    page.get_by_role("list", name="Sort").get_by_role("link", name="AI panel share").click()
    page.wait_for_url("**/tools/?licence=open-source&modality=image&sort=panel")
    panel = page.locator(".tool-table tbody td:nth-child(5)").all_inner_texts()
    shares = [
        int(n) / int(total)
        for n, total in (re.findall(r"(\d+) of (\d+)", t)[0] for t in panel if " of " in t)
    ]
    assert len(shares) >= 2 and shares == sorted(shares, reverse=True)

    # "Any" drops one choice and keeps the rest.
    page.get_by_role("list", name="Licence").get_by_role("link", name="Any").click()
    page.wait_for_url("**/tools/?modality=image&sort=panel")
    assert rows.count() > 4

    page.goto(f"{live_server.url}/tools/?tier=cheap&colour=blue")
    notice = page.get_by_role("status").inner_text()
    assert "Ignored “colour”: not a filter of this page." in notice
    assert "Ignored entry tier “cheap”: no tool has it." in notice
    assert rows.count() == 26
