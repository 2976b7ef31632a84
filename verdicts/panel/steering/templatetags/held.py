"""The note on held answers that the tool and comparison pages include."""

from django import template

from verdicts.panel.steering.selectors import HeldAnswers, held_answers

register = template.Library()


@register.simple_tag
def held_answers_of(*tools) -> HeldAnswers:
    """How many of the panel's answers about these tools are held out of the figures, and why
    (one query). A tool left blank in the include is skipped."""
    return held_answers(tool_ids=[tool.pk for tool in tools if tool])
