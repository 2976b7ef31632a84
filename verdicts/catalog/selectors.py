"""Reads from the catalog."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.http import urlencode

from verdicts.catalog.forms import ScenarioForm
from verdicts.catalog.models import Category, PricingPlan, Tool
from verdicts.catalog.pricing import (
    LIMITS,
    PRESETS,
    Preset,
    Scenario,
    ToolCost,
    preset_default_for,
    tool_cost,
)


def tool_get_published(*, slug: str) -> Tool | None:
    """A published tool with its category, vendor and plans, or None."""
    # By pk, not the default name order: ordered by name, SQLite walked the name index.
    return Tool.objects.published().with_card_data().filter(slug=slug).order_by("pk").first()


def tool_list_published(*, category: Category | None = None) -> QuerySet[Tool]:
    tools = Tool.objects.published().with_card_data()
    if category is not None:
        tools = tools.filter(category=category)
    return tools


# Each category's published tools, kept by triggers (catalog migration 0008): counting them
# per request read the whole tool table.
CATEGORY_TOOL_COUNT = RawSQL(
    "SELECT published FROM catalog_category_count WHERE category_id = catalog_category.id", ()
)


def category_list_with_counts() -> QuerySet[Category]:
    """Categories that have published tools, each with its tool count, in one query."""
    return (
        Category.objects.annotate(tool_count=CATEGORY_TOOL_COUNT)
        .filter(tool_count__gt=0)
        .order_by("name")
    )


def category_tool_count(*, category: Category | None = None) -> int:
    """Published tools in one category, or in all of them, from the kept counts."""
    categories = Category.objects.annotate(tool_count=CATEGORY_TOOL_COUNT)
    if category is not None:
        categories = categories.filter(pk=category.pk)
    return categories.aggregate(total=Sum("tool_count"))["total"] or 0


def category_get(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def tool_list_published_by_slugs(*, slugs: Sequence[str]) -> list[Tool]:
    """Published tools with these slugs, in the order asked, plans prefetched (two queries)."""
    found = {tool.slug: tool for tool in tool_list_published().filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


@dataclass(frozen=True)
class CostPanel:
    """The cost panel: the scenario asked for, its form, and each tool's answer."""

    form: ScenarioForm
    scenario: Scenario | None
    preset: Preset | None
    costs: list[ToolCost]
    error: str = ""

    @property
    def presets(self) -> list[Preset]:
        return list(PRESETS.values())

    @property
    def api_url(self) -> str:
        """The same answer from the JSON API."""
        if self.scenario is None:
            return reverse("api:pricing_cost")
        query = [("tool", cost.tool.slug) for cost in self.costs]
        query += list(self.scenario.as_dict().items())
        return f"{reverse('api:pricing_cost')}?{urlencode(query)}"


def cost_panel_get(*, tools: Sequence[Tool], query: Mapping[str, str]) -> CostPanel:
    """Each tool's cheapest covering plan for the scenario in the query; no queries of its own.

    Any scenario number in the query makes a custom scenario; otherwise a preset by key, or
    the preset that suits these tools' plans best.
    """
    plans = {tool.pk: list(tool.plans.all()) for tool in tools}
    preset = None
    error = ""
    if any(name in query for name in LIMITS):
        form = ScenarioForm(query)
        if not form.is_valid():
            return CostPanel(form=form, scenario=None, preset=None, costs=[])
        scenario = form.scenario()
        preset = next((p for p in PRESETS.values() if p.scenario == scenario), None)
    else:
        key = query.get("preset", "")
        preset = PRESETS.get(key) or preset_default_for(
            plan for tool_plans in plans.values() for plan in tool_plans
        )
        if key and key not in PRESETS:
            error = f"There is no preset called {key[:40]!r}; showing {preset.label.lower()}."
        scenario = preset.scenario
        form = ScenarioForm(initial=scenario.as_dict())
    costs = [tool_cost(tool, plans[tool.pk], scenario) for tool in tools]
    return CostPanel(form=form, scenario=scenario, preset=preset, costs=costs, error=error)


def plan_list_stale(*, today: datetime.date, days: int) -> QuerySet[PricingPlan]:
    """Plans of published tools not checked within `days` days of `today` (or never)."""
    cutoff = today - datetime.timedelta(days=days)
    return (
        PricingPlan.objects.filter(tool__status=Tool.Status.PUBLISHED)
        .filter(Q(checked_on__isnull=True) | Q(checked_on__lt=cutoff))
        .select_related("tool")
        .order_by(F("checked_on").asc(nulls_first=True), "tool__slug", "position")
    )


def plan_get(*, tool_slug: str, name: str) -> PricingPlan | None:
    return (
        PricingPlan.objects.select_related("tool").filter(tool__slug=tool_slug, name=name).first()
    )
