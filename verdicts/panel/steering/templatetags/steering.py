"""The tool page's note on steering text, included with one tag."""

from django import template

from verdicts.catalog.models import Tool
from verdicts.panel.steering.selectors import steering_summary

register = template.Library()


@register.inclusion_tag("panel/_tool_steering_note.html")
def tool_steering_note(tool: Tool) -> dict:
    """Says, in plain words, that text addressed to AI reviewers was set aside (one query)."""
    return {"summary": steering_summary(tool_id=tool.pk)}
