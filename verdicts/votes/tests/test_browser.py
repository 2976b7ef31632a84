import pytest
from django.db import connection

from testkit.browser import save_screenshot
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.models import PairVote, ToolVote
from verdicts.votes.services.rankings import rankings_recompute

pytestmark = [pytest.mark.browser]


def stored_votes() -> tuple[list, list]:
    """The stored votes, read on a connection closed straight after: Playwright runs the test
    body in its own context, where Django would otherwise keep a connection open past the test
    database's teardown."""
    try:
        tools = sorted(ToolVote.objects.values_list("tool_id", "choice"))
        pairs = list(PairVote.objects.values_list("comparison_id", "pick"))
        return tools, pairs
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_votes_update_in_place_with_htmx(live_server, browser_page):
    comparison = ComparisonFactory()
    tool_a = comparison.tool_a
    page = browser_page
    page.goto(f"{live_server.url}{comparison.get_absolute_url()}")
    page.evaluate("window.stayedOnPage = true")

    form = page.locator(f"#vote-{tool_a.pk}")
    form.get_by_role("button", name="Ship").click()
    page.locator(f"#vote-{tool_a.pk}").get_by_text("Your vote: ship.").wait_for()
    community = page.locator(f"#community-{tool_a.pk}")
    assert "1 of 1 ship" in community.inner_text()
    assert "provisional" in community.inner_text()

    page.locator(f"#vote-{tool_a.pk}").get_by_role("button", name="Skip").click()
    page.locator(f"#vote-{tool_a.pk}").get_by_text("Your vote: skip.").wait_for()
    assert "0 of 1 ship" in page.locator(f"#community-{tool_a.pk}").inner_text()

    tool_b = comparison.tool_b
    page.locator(f"#vote-{tool_b.pk}").get_by_role("button", name="Ship").click()
    page.locator(f"#vote-{tool_b.pk}").get_by_text("Your vote: ship.").wait_for()
    verdict = page.locator(f"#ship-verdict-{comparison.pk}")
    assert "too close to call. With 1 and 1 votes" in verdict.inner_text()

    pick = page.locator(f"#pick-{comparison.pk}")
    pick.get_by_role("button", name="Too close to call").click()
    page.locator(f"#pick-{comparison.pk}").get_by_text("Your pick: too close to call.").wait_for()
    assert page.evaluate("window.stayedOnPage") is True
    save_screenshot(page, "votes-comparison-htmx")

    tools, pairs = stored_votes()
    assert tools == [(tool_a.pk, "skip"), (tool_b.pk, "ship")]
    assert pairs == [(comparison.pk, "tie")]


@pytest.mark.django_db(transaction=True)
def test_a_rate_limited_htmx_vote_says_why_in_place(live_server, browser_page, settings):
    settings.VOTES_RATE_PER_VOTER = 1
    # Fixed windows: two clicks a slow second apart could straddle a minute's boundary.
    settings.VOTES_RATE_WINDOW = 86_400
    comparison = ComparisonFactory()
    tool = comparison.tool_a
    page = browser_page
    page.goto(f"{live_server.url}{tool.get_absolute_url()}")
    page.locator(f"#vote-{tool.pk}").get_by_role("button", name="Ship").click()
    page.locator(f"#vote-{tool.pk}").get_by_text("Your vote: ship.").wait_for()
    page.locator(f"#vote-{tool.pk}").get_by_role("button", name="Skip").click()
    page.locator(f"#vote-{tool.pk}").get_by_text("Not counted: Too many votes").wait_for()
    assert page.url == f"{live_server.url}{tool.get_absolute_url()}"
    assert "1 of 1 ship" in page.locator(f"#community-{tool.pk}").inner_text()
    assert stored_votes() == ([(tool.pk, "ship")], [])


@pytest.mark.django_db(transaction=True)
def test_votes_work_without_javascript(live_server, no_script_page):
    comparison = ComparisonFactory()
    tool = comparison.tool_b
    page = no_script_page
    page.goto(f"{live_server.url}{tool.get_absolute_url()}")
    page.locator(f"#vote-{tool.pk}").get_by_role("button", name="Ship").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}{tool.get_absolute_url()}#vote-{tool.pk}"
    assert "Your vote: ship." in page.locator(f"#vote-{tool.pk}").inner_text()
    assert "1 of 1 ship" in page.locator(f"#community-{tool.pk}").inner_text()

    page.goto(f"{live_server.url}{comparison.get_absolute_url()}")
    page.locator(f"#pick-{comparison.pk}").get_by_role("button", name=tool.name).click()
    page.wait_for_load_state()
    assert f"Your pick: {tool.name}." in page.locator(f"#pick-{comparison.pk}").inner_text()
    page.locator(f"#pick-{comparison.pk}").get_by_role("button", name="Withdraw").click()
    page.wait_for_load_state()
    assert "No picks yet." in page.locator(f"#pick-{comparison.pk}").inner_text()
    assert stored_votes() == ([(tool.pk, "ship")], [])


@pytest.mark.django_db(transaction=True)
def test_a_reader_reaches_the_rankings_from_the_navigation(live_server, browser_page):
    strong, twin, weak = (ToolFactory(name=name) for name in ("Strong", "Twin", "Weak"))
    for tool_a, tool_b, a, b in ((strong, weak, 40, 4), (strong, twin, 38, 6), (twin, weak, 11, 9)):
        comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
        PairVote.objects.bulk_create(
            PairVote(comparison=comparison, voter_key=f"anon:{comparison.pk}-{i}", pick=pick)
            for i, pick in enumerate(["a"] * a + ["b"] * b)
        )
    rankings_recompute(samples=100)
    connection.close()
    page = browser_page
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rankings").click()
    page.wait_for_url("**/rankings/")
    rows = page.get_by_role("region", name="Head-to-head ranking table").locator("tbody tr")
    assert rows.count() == 3
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(3)]
    assert [row[0] for row in cells] == ["1", "2", "2"]
    assert cells[0][1].startswith("Strong")
    assert cells[0][4] == "88"
    save_screenshot(page, "votes-rankings")
