"""The "compare any two" picker, which pages include wherever a reader might ask for a pair."""

from django import template

from verdicts.pages.read_models.pairs import picker_tools

register = template.Library()


@register.inclusion_tag("pages/_compare_picker.html")
def compare_picker(a: str = "", b: str = "") -> dict:
    """A plain GET form of two tool names, suggested from the published tools (one query)."""
    return {"tools": picker_tools(), "a": a, "b": b}
