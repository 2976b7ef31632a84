"""Writes to the catalog."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from verdicts.catalog.models import (
    DEFAULT_QUESTION,
    PRICE_FIELDS,
    Category,
    Comparison,
    PlanPrice,
    PriceValue,
    PricingPlan,
    StarterItem,
    Tool,
    ToolFacet,
    Vendor,
)


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


def price_fields_check(*, names: Iterable[str]) -> None:
    """Refuse any name that is not one of a plan's price fields (PRICE_FIELDS)."""
    unknown = set(names) - set(PRICE_FIELDS)
    if unknown:
        raise ValueError(f"not price fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def pricing_plan_create(
    *,
    tool: Tool,
    name: str,
    unit: str = "",
    notes: str = "",
    source_url: str = "",
    checked_on: datetime.date | None = None,
    position: int = 0,
    **prices: PriceValue,
) -> PricingPlan:
    """Add a pricing plan to a tool, its first price recorded in the plan's history.

    `prices` are the plan's price fields by name (`kind` among them); a price left out takes
    the field's default.
    """
    price_fields_check(names=prices)
    plan = PricingPlan(
        tool=tool,
        name=name,
        unit=unit,
        notes=notes,
        source_url=source_url,
        checked_on=checked_on,
        position=position,
        **prices,
    )
    plan.full_clean()
    plan.save()
    plan_price_record(plan=plan)
    return plan


@transaction.atomic
def plan_price_record(*, plan: PricingPlan, recorded_on: datetime.date | None = None) -> bool:
    """Add the plan's current price to its history unless it is already the latest entry.

    Returns whether an entry was added. The plan row is locked first so that two editors
    saving at once record one change, not two.
    """
    locked = PricingPlan.objects.select_for_update().get(pk=plan.pk)
    current = locked.prices()
    latest = locked.history.order_by("-recorded_on", "-id").first()
    if latest is not None and latest.prices() == current:
        return False
    day = recorded_on or locked.checked_on or timezone.localdate()
    if latest is not None and day < latest.recorded_on:
        day = timezone.localdate()
    entry = PlanPrice(plan=locked, recorded_on=day, **current)
    entry.full_clean()
    entry.save()
    return True


@transaction.atomic
def pricing_plan_update(
    *,
    plan: PricingPlan,
    checked_on: datetime.date,
    prices: Mapping[str, PriceValue] | None = None,
    notes: str | None = None,
    source_url: str | None = None,
) -> PricingPlan:
    """Record that a plan's price was checked on a day, with whatever changed.

    A changed price adds a history entry dated that day; an unchanged one only moves
    `checked_on`, so re-running the same update is harmless.
    """
    price_fields_check(names=prices or {})
    locked = PricingPlan.objects.select_for_update().get(pk=plan.pk)
    for name, value in (prices or {}).items():
        setattr(locked, name, value)
    if notes is not None:
        locked.notes = notes
    if source_url is not None:
        locked.source_url = source_url
    locked.checked_on = max(checked_on, locked.checked_on or checked_on)
    locked.full_clean()
    locked.save()
    plan_price_record(plan=locked, recorded_on=checked_on)
    return locked


def comparison_slug(*, tool_a: Tool, tool_b: Tool) -> str:
    return f"{tool_a.slug}-vs-{tool_b.slug}"


@transaction.atomic
def comparison_create(
    *,
    tool_a: Tool,
    tool_b: Tool,
    published_at: datetime.datetime | None = None,
    title: str = "",
    question: str = DEFAULT_QUESTION,
) -> Comparison:
    """Create a comparison of two tools; publishing it needs both tools published."""
    if published_at and not (tool_a.is_published and tool_b.is_published):
        raise ValidationError("A comparison can only be published when both tools are published.")
    comparison = Comparison(
        tool_a=tool_a,
        tool_b=tool_b,
        slug=comparison_slug(tool_a=tool_a, tool_b=tool_b),
        title=title or f"{tool_a.name} vs {tool_b.name}",
        question=question,
        published_at=published_at,
    )
    comparison.full_clean()
    comparison.save()
    return comparison


def starter_item_claim(*, key: str) -> bool:
    """Record that a starter entry is being loaded; False when it was loaded before."""
    _, created = StarterItem.objects.get_or_create(key=key)
    return created


@transaction.atomic
def tool_category_set(*, tool: Tool, category: Category) -> Tool:
    """File a tool in a category (the row locked, checked and saved)."""
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    locked.category = category
    locked.full_clean()
    locked.save(update_fields=["category", "updated_at"])
    return locked


@transaction.atomic
def tool_publish(*, tool: Tool) -> bool:
    """Publish a tool once it passes the catalog's checks; False when it was already published.

    The row is locked and checked as stored, so two editors publishing at once publish it once,
    and a tool that fails a check raises ValidationError and stays a draft.
    """
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.is_published:
        return False
    locked.status = Tool.Status.PUBLISHED
    locked.full_clean()
    locked.save(update_fields=["status", "updated_at"])
    return True


def tool_facets_fill(*, tools: Iterable[Tool]) -> int:
    """Facet rows for tools written in bulk (bulk_create skips `Tool.save`, which keeps them);
    load each tool's category with it, or each tool costs a query. Returns the rows written."""
    rows = [
        ToolFacet(tool_id=tool.pk, facet=facet, value=value)
        for tool in tools
        for facet, value in tool.facet_pairs()
    ]
    ToolFacet.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)
