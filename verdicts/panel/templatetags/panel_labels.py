"""The review label in templates: `{% with label=review|review_label %}`."""

from django import template

from verdicts.panel.labels import ReviewLabel
from verdicts.panel.labels import review_label as label_of
from verdicts.panel.models import Review

register = template.Library()


@register.filter
def review_label(review: Review) -> ReviewLabel:
    """Who wrote the review: an AI reviewer or the editors, with the details."""
    return label_of(review)
