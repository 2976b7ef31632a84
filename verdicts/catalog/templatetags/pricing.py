"""Template helpers for the pricing read and the cost panel."""

from urllib.parse import urlencode

from django import template

from verdicts.catalog import plan_text
from verdicts.catalog.selectors import cost_panel_get

register = template.Library()


@register.inclusion_tag("catalog/_cost_panel.html", takes_context=True)
def cost_panel(context: template.Context, tool_a, tool_b, keep: str = "", also: str = "") -> dict:
    """The cost panel for two tools whose plans are prefetched, scenario from the query.

    Query parameters named with the `keep` prefix belong to another GET form of the page: the
    cost form and its presets carry them on. `also` is that form's element, swapped with the
    panel when htmx updates it, so that form carries this one's new values."""
    request = context["request"]
    kept = [
        (name, value)
        for name, values in request.GET.lists()
        if keep and name.startswith(keep)
        for value in values
    ]
    return {
        "panel": cost_panel_get(tools=[tool_a, tool_b], query=request.GET),
        "request": request,
        "kept": kept,
        "kept_query": urlencode(kept),
        "also": also,
    }


@register.filter
def pricing_read(tool) -> str:
    """The one-line pricing read for a tool, from its (prefetched) plans."""
    return plan_text.pricing_read(tool.plans.all())


@register.filter
def price_summary(plan) -> str:
    return plan_text.price_summary(plan)


@register.filter
def long_context(plan) -> str:
    """The plan's long-context tier in words, empty when it has none."""
    return plan_text.long_context_summary(plan)


@register.filter
def changed_plans(tool) -> list:
    """The tool's plans whose price has changed at least once (history prefetched)."""
    return [plan for plan in tool.plans.all() if len(plan.history.all()) > 1]
