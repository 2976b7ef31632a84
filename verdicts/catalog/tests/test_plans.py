"""A plan's price fields are listed once (PlanPrices); every other place derives its list."""

import datetime
import typing
from decimal import Decimal

import pytest

from verdicts.api.schemas import PlanOut
from verdicts.catalog.admin import PricingPlanAdmin
from verdicts.catalog.models import PRICE_FIELDS, PlanKind, PlanPrice, PlanPrices, PricingPlan
from verdicts.catalog.plan_text import STATED_PRICES, PlanLike, long_context_summary
from verdicts.catalog.services import pricing_plan_create
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.core.starter import PlanEntry
from verdicts.panel.selectors import plan_line

# A value for every price field, each money price distinct so the dossier test can find it.
EVERY_PRICE = {
    "kind": PlanKind.USAGE,
    "currency": "EUR",
    "price": Decimal("1.1000"),
    "input_per_mtok": Decimal("2.2000"),
    "output_per_mtok": Decimal("3.3000"),
    "cached_input_per_mtok": Decimal("0.4400"),
    "per_request": Decimal("0.0500"),
    "per_image": Decimal("0.0600"),
    "long_context_threshold": 200_000,
    "long_context_input_per_mtok": Decimal("4.4000"),
    "long_context_output_per_mtok": Decimal("6.6000"),
    "long_context_cached_input_per_mtok": Decimal("0.8800"),
    "included_requests": 100,
    "seats_included": 2,
    "min_seats": 1,
    "max_seats": 9,
}


def deconstructed(model: type, name: str) -> tuple:
    _, path, args, kwargs = model._meta.get_field(name).deconstruct()
    return path, args, kwargs


def test_the_price_fields_are_the_abstract_models_fields():
    assert tuple(field.name for field in PlanPrices._meta.local_fields) == PRICE_FIELDS
    assert set(EVERY_PRICE) == set(PRICE_FIELDS)


@pytest.mark.parametrize("name", PRICE_FIELDS)
def test_the_plan_and_its_history_hold_the_same_price_field(name):
    assert deconstructed(PricingPlan, name) == deconstructed(PlanPrice, name)


def test_the_history_records_exactly_the_price_fields():
    own = {"id", "plan", "recorded_on", "recorded_at"}
    assert {field.name for field in PlanPrice._meta.fields} - own == set(PRICE_FIELDS)


def test_the_starter_schema_takes_every_price_field():
    assert set(PlanEntry.model_fields) >= set(PRICE_FIELDS)
    entry = PlanEntry(name="API", **EVERY_PRICE)
    assert {name: getattr(entry, name) for name in PRICE_FIELDS} == EVERY_PRICE


def test_the_starter_schema_bounds_match_the_model():
    assert PlanEntry.model_fields["kind"].is_required()
    assert PlanEntry(name="API", kind="free").currency == "USD"
    for name, low in [("long_context_threshold", 1), ("seats_included", 1), ("max_seats", 1)]:
        with pytest.raises(ValueError, match=name):
            PlanEntry(name="API", kind="tiered", **{name: low - 1})


def test_the_api_schema_lists_every_price_field():
    own = {"name", "unit", "notes", "source_url", "checked_on"}
    assert set(PlanOut.model_fields) - own == set(PRICE_FIELDS)


def test_the_admin_form_shows_every_field_a_plan_has():
    editable = {field.name for field in PricingPlan._meta.fields if field.editable}
    assert set(PricingPlanAdmin.fields) == editable - {"id"}
    assert len(PricingPlanAdmin.fields) == len(set(PricingPlanAdmin.fields))


def test_the_protocol_reads_the_price_fields():
    assert set(typing.get_type_hints(PlanLike)) == set(PRICE_FIELDS)


@pytest.mark.django_db
def test_the_create_service_takes_every_price_field_into_the_plan_and_its_history():
    plan = pricing_plan_create(tool=ToolFactory(), name="API", **EVERY_PRICE)
    plan.refresh_from_db()
    assert plan.prices() == EVERY_PRICE
    assert plan.history.get().prices() == EVERY_PRICE


@pytest.mark.django_db
def test_the_create_service_refuses_a_name_that_is_no_price_field():
    with pytest.raises(ValueError, match="not price fields: input_per_mtk"):
        pricing_plan_create(tool=ToolFactory(), name="API", kind="usage", input_per_mtk=1)


@pytest.mark.django_db
def test_the_api_serialises_every_price_field(client):
    tool = ToolFactory()
    pricing_plan_create(tool=tool, name="API", checked_on=datetime.date(2026, 1, 5), **EVERY_PRICE)
    plan = client.get(f"/api/tools/{tool.slug}").json()["plans"][0]
    assert set(PRICE_FIELDS) <= set(plan)
    assert Decimal(plan["long_context_cached_input_per_mtok"]) == Decimal("0.88")
    assert plan["max_seats"] == 9


@pytest.mark.django_db
def test_the_dossier_line_mentions_every_price_the_plan_sets():
    plan = pricing_plan_create(tool=ToolFactory(), name="API", **EVERY_PRICE)
    plan.refresh_from_db()
    line = plan_line(plan)
    money = [spec for spec in PRICE_FIELDS if isinstance(EVERY_PRICE[spec], Decimal)]
    stated = {name for name, _ in STATED_PRICES}
    # Every money price is stated by name, or in the long-context phrase.
    assert stated | {name for name in money if name.startswith("long_context_")} == set(money)
    for name, label in STATED_PRICES:
        assert f"{label} {EVERY_PRICE[name]} EUR" in line
    assert f"long context: {long_context_summary(plan)}" in line
    assert "€4.40 in / €6.60 out / €0.88 cached" in line
