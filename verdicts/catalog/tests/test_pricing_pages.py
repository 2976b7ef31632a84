"""The cost panel on comparison pages, the pricing read, stale marks and price history."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from verdicts.catalog.models import PlanKind, PricingPlan, Tool
from verdicts.catalog.services import pricing_plan_create, pricing_plan_update
from verdicts.catalog.tests.factories import ComparisonFactory, PricingPlanFactory, ToolFactory

REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def panel_text(response) -> str:
    html = response.content.decode()
    match = re.search(r'<section class="cost-panel" id="cost-panel".*?</section>', html, re.S)
    assert match, "the comparison page has no cost panel"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


@pytest.mark.django_db
def test_reference_comparison_prices_claude_and_states_smolvlm_is_self_hosted(client, starter):
    text = panel_text(client.get(REFERENCE, {"preset": "ci-long-context"}))
    assert (
        "Scenario: A CI job that sends 200 long-context requests a day : 1 seat; 6,000 requests a "
        "month; 150,000 input and 2,000 output tokens a request; a 30-day month." in text
    )
    assert "Claude 4 Sonnet $2,880.00 a month" in text
    assert "Cheapest plan that covers it: Claude API (usage-based)" in text
    assert "$3.00 input / $15.00 output per million tokens" in text
    assert "SmolVLM-3B self-hosted" in text
    assert "Plan: Self-hosted weights (self-hosted)" in text
    assert "free to run; you pay for your own hardware (GPU or CPU time)" in text


@pytest.mark.django_db
def test_entry_tier_and_pricing_read_sit_beside_the_figures(client, starter):
    text = text_of(client.get(REFERENCE))
    assert "Entry Paid usage-based; long context multiplies the bill" in text
    assert "Entry Free free to self-host; pay for your GPU" in text
    assert "Entry: Paid usage-based; long context multiplies the bill" in panel_text(
        client.get(REFERENCE)
    )


@pytest.mark.django_db
def test_without_a_scenario_the_panel_uses_the_preset_that_suits_the_plans(client, starter):
    response = client.get(REFERENCE)
    assert "$2,880.00 a month" in panel_text(response)
    html = response.content.decode()
    assert 'href="/compare/claude-4-sonnet-vs-smolvlm-3b/?preset=ci-long-context" ' in html
    assert 'aria-current="true">A CI job that sends 200 long-context requests a day' in html
    seats = panel_text(client.get("/compare/github-copilot-vs-cursor/"))
    assert "Scenario: A team of 10 developers, a seat each" in seats


@pytest.mark.django_db
def test_a_custom_scenario_from_the_get_form_is_priced(client, starter):
    query = {"seats": "1", "requests": "1000", "input_tokens": "10000", "output_tokens": "1000"}
    response = client.get(REFERENCE, query)
    text = panel_text(response)
    # 1,000 x (10,000 x $3 + 1,000 x $15) / 1M = $45
    assert "Claude 4 Sonnet $45.00 a month" in text
    api = re.search(r'href="(/api/pricing/cost[^"]+)"', response.content.decode()).group(1)
    body = client.get(api.replace("&amp;", "&")).json()
    assert [tool["choice"]["display"] for tool in body["tools"]] == [
        "$45.00 a month",
        "self-hosted: your hardware",
    ]
    assert "1,000 requests a month" in text
    assert "SmolVLM-3B self-hosted" in text


@pytest.mark.django_db
def test_bad_input_gets_a_clear_error_and_no_figures(client, starter):
    response = client.get(REFERENCE, {"seats": "0", "requests": "lots"})
    assert response.status_code == 200
    text = panel_text(response)
    assert "Seats: Ensure this value is greater than or equal to 1." in text
    assert "Requests a month: Enter a whole number." in text
    assert "a month" not in text.split("Work out the cost")[1]
    unknown = panel_text(client.get(REFERENCE, {"preset": "<b>x</b>"}))
    assert "There is no preset called '&lt;b&gt;x&lt;/b&gt;'" in unknown.replace("&#x27;", "'")
    assert "$2,880.00 a month" in unknown


@pytest.mark.django_db
def test_tool_not_covered_is_said_so(client):
    tool_a = ToolFactory(name="Metered")
    tool_b = ToolFactory(name="Sales only")
    pricing_plan_create(tool=tool_a, name="API", kind=PlanKind.USAGE, per_request=Decimal("0.01"))
    pricing_plan_create(tool=tool_b, name="Enterprise", kind=PlanKind.CONTACT)
    comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
    text = panel_text(client.get(comparison.get_absolute_url()))
    assert "Metered $100.00 a month" in text
    assert "Sales only not covered" in text
    assert "No published plan covers this scenario." in text
    assert "Enterprise : not covered (price on request from the vendor)" in text


@pytest.mark.django_db
def test_the_cost_panel_adds_no_queries_whatever_the_scenario_or_plan_count(
    client, starter, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get(REFERENCE)
    claude = Tool.objects.get(slug="claude-4-sonnet")
    for number in range(8):
        PricingPlanFactory(tool=claude, kind=PlanKind.TIERED, price=Decimal(number + 1))
    for query in ({}, {"preset": "team"}, {"seats": "3", "requests": "50"}, {"seats": "x"}):
        with django_assert_max_num_queries(len(baseline)):
            assert client.get(REFERENCE, query).status_code == 200


@pytest.mark.django_db
def test_htmx_request_gets_the_page_whose_panel_it_swaps_in(client, starter):
    response = client.get(REFERENCE, {"preset": "team"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'hx-select="#cost-panel"' in html and 'id="cost-panel"' in html
    assert "Scenario: A team of 10 developers" in panel_text(response)


@pytest.mark.django_db
def test_tool_page_marks_stale_prices(client, settings):
    settings.VERDICTS_PRICE_STALE_DAYS = 30
    tool = ToolFactory()
    today = timezone.localdate()
    pricing_plan_create(
        tool=tool, name="Fresh", kind=PlanKind.TIERED, price=Decimal("5"), checked_on=today
    )
    pricing_plan_create(
        tool=tool,
        name="Old",
        kind=PlanKind.TIERED,
        price=Decimal("9"),
        checked_on=today - datetime.timedelta(days=45),
        position=1,
    )
    pricing_plan_create(tool=tool, name="Unchecked", kind=PlanKind.FREE, position=2)
    text = text_of(client.get(tool.get_absolute_url()))
    assert text.count("Price may be stale") == 2
    assert "Price may be stale: not checked for 1 month" in text
    assert "Price may be stale: never checked" in text


@pytest.mark.django_db
def test_tool_page_shows_price_history_in_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tool = ToolFactory()
    plan = pricing_plan_create(
        tool=tool,
        name="Pro",
        kind=PlanKind.TIERED,
        price=Decimal("20"),
        checked_on=datetime.date(2026, 1, 5),
    )
    with CaptureQueriesContext(connection) as baseline:
        first = text_of(client.get(tool.get_absolute_url()))
    assert "Price history" not in first
    pricing_plan_update(plan=plan, checked_on=datetime.date(2026, 6, 1), prices={"price": "25"})
    pricing_plan_update(plan=plan, checked_on=datetime.date(2026, 9, 1), prices={"price": "30"})
    for number in range(5):
        extra = PricingPlanFactory(tool=tool, kind=PlanKind.TIERED, price=Decimal(number))
        pricing_plan_update(plan=extra, checked_on=timezone.localdate(), prices={"price": "99"})
    with django_assert_num_queries(len(baseline)):
        text = text_of(client.get(tool.get_absolute_url()))
    assert (
        "Price history Plan From Price Pro 1 Sep 2026 $30.00 a month (current) "
        "Pro 1 Jun 2026 $25.00 a month Pro 5 Jan 2026 $20.00 a month" in text
    )
    assert PricingPlan.objects.filter(tool=tool).count() == 6
