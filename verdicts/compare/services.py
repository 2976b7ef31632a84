"""Writes to comparisons."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from verdicts.catalog.models import Tool
from verdicts.compare.models import DEFAULT_QUESTION, Comparison


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
