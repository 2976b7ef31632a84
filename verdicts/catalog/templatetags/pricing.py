"""Template helpers for the pricing read and the cost panel."""

from django import template

from verdicts.catalog import plan_text
from verdicts.catalog.selectors import cost_panel_get

register = template.Library()


@register.inclusion_tag("catalog/_cost_panel.html", takes_context=True)
def cost_panel(context: template.Context, tool_a, tool_b) -> dict:
    """The cost panel for two tools whose plans are prefetched, scenario from the query."""
    request = context["request"]
    return {"panel": cost_panel_get(tools=[tool_a, tool_b], query=request.GET), "request": request}


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
