"""Plan prices over time: every change kept with its date, retries and races harmless."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from testkit.concurrency import threads_race
from verdicts.catalog.models import PlanKind, PlanPrice, PricingPlan
from verdicts.catalog.services import plan_price_record, pricing_plan_create, pricing_plan_update
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.core.starter import PlanEntry

JAN = datetime.date(2026, 1, 5)
JUN = datetime.date(2026, 6, 1)


def api_plan(**fields) -> PricingPlan:
    defaults = {
        "tool": ToolFactory(),
        "name": "API",
        "kind": PlanKind.USAGE,
        "input_per_mtok": Decimal("3"),
        "output_per_mtok": Decimal("15"),
        "checked_on": JAN,
    }
    return pricing_plan_create(**{**defaults, **fields})


def history(plan: PricingPlan) -> list[tuple[datetime.date, Decimal | None]]:
    return [(entry.recorded_on, entry.input_per_mtok) for entry in plan.history.all()]


@pytest.mark.django_db
def test_a_new_plan_starts_its_history_at_its_checked_date():
    plan = api_plan()
    assert history(plan) == [(JAN, Decimal("3"))]


@pytest.mark.django_db
def test_a_price_change_is_kept_with_its_date_and_the_old_price_survives():
    plan = api_plan()
    updated = pricing_plan_update(plan=plan, checked_on=JUN, prices={"input_per_mtok": "2.5"})
    assert updated.input_per_mtok == Decimal("2.5") and updated.checked_on == JUN
    assert history(plan) == [(JUN, Decimal("2.5")), (JAN, Decimal("3"))]


@pytest.mark.django_db
def test_rechecking_an_unchanged_price_only_moves_the_checked_date():
    plan = api_plan()
    pricing_plan_update(plan=plan, checked_on=JUN, prices={"input_per_mtok": "3.0000"})
    pricing_plan_update(plan=plan, checked_on=JUN)
    plan.refresh_from_db()
    assert plan.checked_on == JUN
    assert PlanPrice.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db
def test_retrying_the_same_update_adds_nothing_and_an_older_check_never_rewinds_the_date():
    plan = api_plan()
    for _ in range(3):
        pricing_plan_update(plan=plan, checked_on=JUN, prices={"output_per_mtok": "12"})
    pricing_plan_update(plan=plan, checked_on=JAN, prices={"output_per_mtok": "12"})
    plan.refresh_from_db()
    assert plan.checked_on == JUN
    assert PlanPrice.objects.filter(plan=plan).count() == 2


@pytest.mark.django_db
def test_bad_input_is_refused_and_loses_nothing():
    plan = api_plan()
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        pricing_plan_update(plan=plan, checked_on=JUN, prices={"input_per_mtok": "-1"})
    with pytest.raises(ValueError, match="not price fields: name"):
        pricing_plan_update(plan=plan, checked_on=JUN, prices={"name": "Renamed"})
    plan.refresh_from_db()
    assert plan.input_per_mtok == Decimal("3") and plan.checked_on == JAN
    assert history(plan) == [(JAN, Decimal("3"))]


@pytest.mark.django_db
def test_recording_an_edit_made_elsewhere_keeps_it_once():
    plan = api_plan()
    PricingPlan.objects.filter(pk=plan.pk).update(per_request=Decimal("0.01"))
    plan.refresh_from_db()
    assert plan_price_record(plan=plan) is True
    assert plan_price_record(plan=plan) is False
    assert [entry.per_request for entry in plan.history.all()] == [Decimal("0.0100"), None]


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_updates_record_one_change():
    plan = api_plan()

    def update() -> None:
        pricing_plan_update(plan=plan, checked_on=JUN, prices={"input_per_mtok": "2"})

    assert threads_race([update] * 4).errors == []
    assert history(plan) == [(JUN, Decimal("2")), (JAN, Decimal("3"))]


def test_starter_plan_entries_accept_seat_fields_and_work_without_them():
    bare = PlanEntry(name="Pro", kind="tiered", price="20")
    assert bare.seats_included is None and bare.min_seats is None and bare.max_seats is None
    team = PlanEntry(name="Team", kind="tiered", price="100", seats_included=5, max_seats=50)
    assert (team.seats_included, team.max_seats) == (5, 50)
    with pytest.raises(ValueError, match="seats_included"):
        PlanEntry(name="Team", kind="tiered", seats_included=0)


@pytest.mark.django_db
def test_the_starter_catalog_loads_with_a_history_entry_per_plan(starter):
    assert PricingPlan.objects.count() > 0
    assert PlanPrice.objects.count() == PricingPlan.objects.count()
    claude = PricingPlan.objects.get(tool__slug="claude-4-sonnet", name="Claude API")
    assert history(claude) == [(datetime.date(2026, 11, 1), Decimal("3"))]


@pytest.mark.django_db
def test_an_editor_changing_a_price_in_the_admin_adds_a_history_entry(admin_client):
    plan = api_plan()
    url = reverse("admin:catalog_pricingplan_change", args=[plan.pk])
    assert "Plan prices" in admin_client.get(url).content.decode()
    form = {
        "tool": plan.tool_id,
        "name": "API",
        "kind": "usage",
        "currency": "USD",
        "input_per_mtok": "2.75",
        "output_per_mtok": "15",
        "checked_on": "2026-06-01",
        "position": 0,
        "history-TOTAL_FORMS": 1,
        "history-INITIAL_FORMS": 1,
        "history-MIN_NUM_FORMS": 0,
        "history-MAX_NUM_FORMS": 1000,
        "history-0-id": plan.history.get().pk,
        "history-0-plan": plan.pk,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert history(plan) == [(JUN, Decimal("2.75")), (JAN, Decimal("3"))]
    admin_client.post(url, form)
    assert plan.history.count() == 2


@pytest.mark.django_db
def test_a_price_changed_in_the_tool_pages_plan_inline_is_kept_too(admin_client):
    plan = api_plan()
    tool = plan.tool
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    form = {
        "slug": tool.slug,
        "name": tool.name,
        "category": tool.category_id,
        "vendor": tool.vendor_id,
        "tagline": tool.tagline,
        "description": tool.description,
        "facts": "{}",
        "status": tool.status,
        "plans-TOTAL_FORMS": 1,
        "plans-INITIAL_FORMS": 1,
        "plans-MIN_NUM_FORMS": 0,
        "plans-MAX_NUM_FORMS": 1000,
        "plans-0-id": plan.pk,
        "plans-0-tool": tool.pk,
        "plans-0-name": "API",
        "plans-0-kind": "usage",
        "plans-0-currency": "USD",
        "plans-0-input_per_mtok": "3",
        "plans-0-output_per_mtok": "12",
        "plans-0-checked_on": "2026-06-01",
        "plans-0-position": 0,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [entry.output_per_mtok for entry in plan.history.all()] == [Decimal(12), Decimal(15)]
