"""`verdicts pricing stale` and `verdicts pricing check`."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from verdicts.catalog.models import PlanKind, PlanPrice, PricingPlan, Tool
from verdicts.catalog.services import pricing_plan_create
from verdicts.catalog.tests.factories import ToolFactory


def run(*args) -> str:
    out = StringIO()
    call_command("pricing", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_stale_lists_unchecked_and_old_prices_of_published_tools_only():
    today = timezone.localdate()
    tool = ToolFactory(slug="fresh-tool")
    pricing_plan_create(tool=tool, name="Fresh", kind=PlanKind.FREE, checked_on=today)
    pricing_plan_create(
        tool=tool,
        name="Old",
        kind=PlanKind.FREE,
        checked_on=today - datetime.timedelta(days=100),
        position=1,
    )
    pricing_plan_create(tool=tool, name="Never", kind=PlanKind.FREE, position=2)
    draft = ToolFactory(status=Tool.Status.DRAFT)
    pricing_plan_create(tool=draft, name="Hidden", kind=PlanKind.FREE)
    lines = run("stale").splitlines()
    assert lines[-1] == "2 plan(s) not checked in 90 days."
    assert lines[0].split() == ["never", "fresh-tool", "Never"]
    assert lines[1].split()[1:] == ["fresh-tool", "Old"]
    assert run("stale", "--days", "200").splitlines()[-1] == "1 plan(s) not checked in 200 days."


@pytest.mark.django_db
def test_check_records_a_change_once_and_rejects_bad_values():
    tool = ToolFactory(slug="api-tool")
    pricing_plan_create(
        tool=tool,
        name="API",
        kind=PlanKind.USAGE,
        input_per_mtok=Decimal("3"),
        output_per_mtok=Decimal("15"),
        checked_on=datetime.date(2026, 1, 1),
    )
    args = ("check", "api-tool", "API", "--on", "2026-06-01", "--set", "input_per_mtok=2.5")
    assert "$3.00 in / $15.00 out per 1M tokens -> $2.50 in" in run(*args)
    assert "unchanged: $2.50 in / $15.00 out per 1M tokens" in run(*args)
    plan = PricingPlan.objects.get(tool=tool)
    assert plan.checked_on == datetime.date(2026, 6, 1)
    assert PlanPrice.objects.filter(plan=plan).count() == 2
    with pytest.raises(CommandError, match=r"Nothing changed: .*greater than or equal to 0"):
        run("check", "api-tool", "API", "--set", "output_per_mtok=-4")
    with pytest.raises(CommandError, match="--set wants FIELD=VALUE"):
        run("check", "api-tool", "API", "--set", "name=Other")
    with pytest.raises(CommandError, match="No plan 'Nope' on tool 'api-tool'"):
        run("check", "api-tool", "Nope")
    plan.refresh_from_db()
    assert plan.output_per_mtok == Decimal("15") and plan.name == "API"
    assert PlanPrice.objects.filter(plan=plan).count() == 2
