"""Writes to the catalog."""

import datetime
from decimal import Decimal

from django.db import transaction

from verdicts.catalog.models import Category, PricingPlan, Tool, Vendor


@transaction.atomic
def category_create(*, slug: str, name: str, description: str = "") -> Category:
    """Create a category."""
    category = Category(slug=slug, name=name, description=description)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def vendor_get_or_create(*, slug: str, name: str, homepage: str = "") -> Vendor:
    """The vendor with this slug, created when new; an existing one is left as it is."""
    vendor = Vendor.objects.filter(slug=slug).first()
    if vendor:
        return vendor
    vendor = Vendor(slug=slug, name=name, homepage=homepage)
    vendor.full_clean()
    vendor.save()
    return vendor


@transaction.atomic
def tool_create(
    *,
    slug: str,
    name: str,
    category: Category,
    vendor: Vendor,
    tagline: str,
    description: str,
    homepage: str = "",
    docs_url: str = "",
    repository_url: str = "",
    licence: str = "",
    open_weights: bool = False,
    entry_tier_override: str = "",
    launch_date: datetime.date | None = None,
    facts: dict[str, str] | None = None,
    status: str = Tool.Status.DRAFT,
) -> Tool:
    """Create a tool (a draft unless a status is given)."""
    tool = Tool(
        slug=slug,
        name=name,
        category=category,
        vendor=vendor,
        tagline=tagline,
        description=description,
        homepage=homepage,
        docs_url=docs_url,
        repository_url=repository_url,
        licence=licence,
        open_weights=open_weights,
        entry_tier_override=entry_tier_override,
        launch_date=launch_date,
        facts=facts or {},
        status=status,
    )
    tool.full_clean()
    tool.save()
    return tool


@transaction.atomic
def pricing_plan_create(
    *,
    tool: Tool,
    name: str,
    kind: str,
    currency: str = "USD",
    price: Decimal | None = None,
    unit: str = "",
    input_per_mtok: Decimal | None = None,
    output_per_mtok: Decimal | None = None,
    cached_input_per_mtok: Decimal | None = None,
    per_request: Decimal | None = None,
    per_image: Decimal | None = None,
    included_requests: int | None = None,
    notes: str = "",
    source_url: str = "",
    checked_on: datetime.date | None = None,
    position: int = 0,
) -> PricingPlan:
    """Add a pricing plan to a tool."""
    plan = PricingPlan(
        tool=tool,
        name=name,
        kind=kind,
        currency=currency,
        price=price,
        unit=unit,
        input_per_mtok=input_per_mtok,
        output_per_mtok=output_per_mtok,
        cached_input_per_mtok=cached_input_per_mtok,
        per_request=per_request,
        per_image=per_image,
        included_requests=included_requests,
        notes=notes,
        source_url=source_url,
        checked_on=checked_on,
        position=position,
    )
    plan.full_clean()
    plan.save()
    return plan
