"""A letter mark for a tool without a logo: its initial on one of a few fixed colours, chosen
from the slug so that a tool keeps its colour on every page and every machine."""

import hashlib

from django import template

register = template.Library()

# As many as site.css has .tool-mark-<n> rules.
MARK_TONES = 8


@register.filter
def mark_tone(slug: object) -> int:
    """The slug's colour, 0 to MARK_TONES - 1 (a digest, not hash(), which varies by process)."""
    return hashlib.sha256(str(slug).encode()).digest()[0] % MARK_TONES


@register.filter
def mark_initial(name: object) -> str:
    """The name's first letter or digit, upper-cased; "?" when it has none."""
    return next((char.upper() for char in str(name) if char.isalnum()), "?")
