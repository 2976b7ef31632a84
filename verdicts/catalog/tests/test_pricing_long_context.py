"""Long-context tiers: requests past a plan's input threshold bill at higher token rates."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from verdicts.catalog.models import PlanKind, PricingPlan
from verdicts.catalog.plan_text import long_context_summary, price_summary
from verdicts.catalog.pricing import PRESETS, Scenario, plan_cost, tool_cost
from verdicts.catalog.services import pricing_plan_create, pricing_plan_update
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.catalog.tests.test_pricing import plan
from verdicts.catalog.tests.test_pricing_pages import REFERENCE, panel_text, text_of
from verdicts.panel.selectors import plan_line

SONNET = plan(
    name="Claude API",
    input_per_mtok=Decimal("3.00"),
    output_per_mtok=Decimal("15.00"),
    cached_input_per_mtok=Decimal("0.30"),
    long_context_threshold=200_000,
    long_context_input_per_mtok=Decimal("6.00"),
    long_context_output_per_mtok=Decimal("22.50"),
)
CI = PRESETS["ci-long-context"].scenario
LONG = Scenario(requests=6_000, input_tokens=250_000, output_tokens=2_000)


def test_the_ci_preset_below_the_threshold_stays_at_2880_dollars():
    cost = plan_cost(SONNET, CI)
    assert cost.monthly == Decimal("2880")
    assert cost.display == "$2,880.00 a month"
    assert (
        "$3.00 input / $15.00 output per million tokens (a request above 200,000 input tokens "
        "would bill its input and output at the long-context rates)" in cost.assumptions
    )


def test_a_request_past_the_threshold_bills_input_and_output_at_the_long_context_rates():
    cost = plan_cost(SONNET, LONG)
    # 6,000 requests x (250,000 x $6 + 2,000 x $22.50) / 1M = 6,000 x $1.545
    assert cost.monthly == Decimal("9270")
    assert cost.display == "$9,270.00 a month"
    assert cost.assumptions == (
        "each request's 250,000 input tokens pass the plan's 200,000-token threshold, so its "
        "input and output bill at the long-context rates: $6.00 input / $22.50 output "
        "per million tokens",
        "6,000 billed requests",
    )


def test_the_threshold_itself_still_bills_at_the_base_rates():
    at = Scenario(requests=1, input_tokens=200_000, output_tokens=1_000)
    past = Scenario(requests=1, input_tokens=200_001, output_tokens=1_000)
    assert plan_cost(SONNET, at).monthly == Decimal("0.615")
    assert plan_cost(SONNET, past).monthly == Decimal("1.222506")


def test_cached_input_past_the_threshold_uses_the_long_context_cached_price_or_input_price():
    scenario = Scenario(requests=1, input_tokens=1_000_000, cached_percent=50)
    # No long-context cache price stated: cached tokens bill at the long-context input price.
    assert plan_cost(SONNET, scenario).monthly == Decimal("6")
    assert "cached input at the input price" in plan_cost(SONNET, scenario).assumptions[0]
    stated = plan(**{**vars(SONNET), "long_context_cached_input_per_mtok": Decimal("0.60")})
    assert plan_cost(stated, scenario).monthly == Decimal("3.3")
    assert "$0.60 cached input" in plan_cost(stated, scenario).assumptions[0]


def test_the_cheapest_plan_can_change_once_requests_pass_the_threshold():
    flat = plan(name="Flat", input_per_mtok=Decimal("4"), output_per_mtok=Decimal("16"), position=1)
    assert tool_cost("tool", [SONNET, flat], CI).choice.plan is SONNET
    assert tool_cost("tool", [SONNET, flat], LONG).choice.plan is flat
    assert tool_cost("tool", [SONNET, flat], LONG).choice.monthly == Decimal("6192")


def test_the_tier_is_summarised_in_words():
    assert long_context_summary(SONNET) == "above 200K input tokens: $6 in / $22.50 out"
    assert long_context_summary(plan(input_per_mtok=Decimal("3"))) == ""
    assert price_summary(SONNET) == (
        "$3.00 in / $15.00 out / $0.30 cached per 1M tokens "
        "(above 200K input tokens: $6 in / $22.50 out)"
    )


def model_plan(**fields) -> PricingPlan:
    base = {
        "name": "API",
        "kind": PlanKind.USAGE,
        "input_per_mtok": Decimal("3"),
        "output_per_mtok": Decimal("15"),
        "long_context_threshold": 200_000,
        "long_context_input_per_mtok": Decimal("6"),
        "long_context_output_per_mtok": Decimal("22.5"),
    }
    return PricingPlan(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"long_context_threshold": None}, "long_context_threshold"),
        ({"long_context_output_per_mtok": None}, "__all__"),
        ({"input_per_mtok": None}, "__all__"),
        ({"long_context_input_per_mtok": Decimal("2.99")}, "long_context_input_per_mtok"),
        ({"long_context_output_per_mtok": Decimal("14")}, "long_context_output_per_mtok"),
        (
            {"cached_input_per_mtok": Decimal("0.3"), "long_context_cached_input_per_mtok": 0},
            "long_context_cached_input_per_mtok",
        ),
    ],
)
def test_a_tier_that_could_make_more_usage_cost_less_is_refused(fields, field):
    with pytest.raises(ValidationError) as error:
        model_plan(**fields).clean()
    assert field in error.value.update_error_dict({})
    model_plan().clean()


@pytest.mark.django_db
def test_tier_changes_enter_the_price_history():
    tool = ToolFactory()
    api = pricing_plan_create(
        tool=tool,
        name="API",
        kind=PlanKind.USAGE,
        input_per_mtok=Decimal("3"),
        output_per_mtok=Decimal("15"),
        checked_on=datetime.date(2026, 1, 5),
    )
    pricing_plan_update(
        plan=api,
        checked_on=datetime.date(2026, 6, 1),
        prices={
            "long_context_threshold": 200_000,
            "long_context_input_per_mtok": Decimal("6"),
            "long_context_output_per_mtok": Decimal("22.50"),
        },
    )
    latest, first = api.history.all()
    assert (latest.recorded_on, latest.long_context_threshold) == (
        datetime.date(2026, 6, 1),
        200_000,
    )
    assert latest.long_context_output_per_mtok == Decimal("22.50")
    assert first.long_context_threshold is None
    assert price_summary(latest).endswith("(above 200K input tokens: $6 in / $22.50 out)")
    with pytest.raises(ValidationError):
        pricing_plan_update(
            plan=api,
            checked_on=datetime.date(2026, 7, 1),
            prices={"long_context_input_per_mtok": Decimal("1")},
        )
    assert api.history.count() == 2


@pytest.mark.django_db
def test_the_starter_catalog_carries_the_tiers_its_notes_state(starter):
    sonnet = PricingPlan.objects.get(tool__slug="claude-4-sonnet", name="Claude API")
    assert (sonnet.long_context_threshold, sonnet.long_context_cached_input_per_mtok) == (
        200_000,
        None,
    )
    assert sonnet.long_context_input_per_mtok == Decimal("6")
    assert sonnet.long_context_output_per_mtok == Decimal("22.5")
    gemini = PricingPlan.objects.get(tool__slug="gemini-2-5-pro", name="Gemini API")
    assert gemini.long_context_threshold == 200_000
    assert gemini.long_context_input_per_mtok == Decimal("2.5")
    assert gemini.long_context_output_per_mtok == Decimal("15")
    assert "long context: above 200K input tokens: $6 in / $22.50 out" in plan_line(sonnet)
    assert PricingPlan.objects.filter(long_context_threshold__isnull=False).count() == 2


@pytest.mark.django_db
def test_the_api_shows_the_tier(client, starter):
    plans = client.get("/api/tools/claude-4-sonnet").json()["plans"]
    assert plans[0]["long_context_threshold"] == 200_000
    assert Decimal(plans[0]["long_context_input_per_mtok"]) == Decimal("6")
    assert Decimal(plans[0]["long_context_output_per_mtok"]) == Decimal("22.5")
    assert plans[0]["long_context_cached_input_per_mtok"] is None
    smol = client.get("/api/tools/smolvlm-3b").json()["plans"]
    assert all(entry["long_context_threshold"] is None for entry in smol)


@pytest.mark.django_db
def test_the_pages_show_the_tier_and_price_long_requests_with_it(client, starter):
    tool_page = text_of(client.get("/tools/claude-4-sonnet/"))
    assert "above 200K input tokens: $6 in / $22.50 out" in tool_page
    query = {"requests": "6000", "input_tokens": "250000", "output_tokens": "2000"}
    response = client.get(REFERENCE, query)
    assert "above 200K input tokens: $6 in / $22.50 out" in text_of(response)
    panel = panel_text(response)
    assert "$9,270.00 a month" in panel
    assert "200,000-token threshold, so its input and output bill at the long-context" in panel
    assert "$2,880.00 a month" in panel_text(client.get(REFERENCE, {"preset": "ci-long-context"}))


@pytest.mark.django_db
def test_the_cli_sets_a_tier_and_refuses_half_of_one():
    tool = ToolFactory(slug="sonnet")
    pricing_plan_create(
        tool=tool,
        name="API",
        kind=PlanKind.USAGE,
        input_per_mtok=Decimal("3"),
        output_per_mtok=Decimal("15"),
    )
    with pytest.raises(CommandError, match="Nothing changed: A long-context threshold needs"):
        call_command("pricing", "check", "sonnet", "API", "--set", "long_context_threshold=200000")
    out = StringIO()
    call_command(
        "pricing",
        "check",
        "sonnet",
        "API",
        "--set",
        "long_context_threshold=200000",
        "--set",
        "long_context_input_per_mtok=6",
        "--set",
        "long_context_output_per_mtok=22.50",
        stdout=out,
    )
    assert (
        out.getvalue()
        .rstrip()
        .endswith(
            "-> $3.00 in / $15.00 out per 1M tokens (above 200K input tokens: $6 in / $22.50 out)"
        )
    )
    assert PricingPlan.objects.get(tool=tool).history.count() == 2
