"""Template helpers for a tool's facts."""

import re

from django import template

register = template.Library()

# Words a reader expects in capitals; a fact key only ever has them in lower case.
ACRONYMS = {"api": "API", "sdk": "SDK", "gpu": "GPU", "url": "URL"}


@register.filter
def fact_label(key: str) -> str:
    """A fact key as a label: "context_window" or "contextWindow" reads "Context window"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(key))
    words = [word.lower() for word in re.split(r"[\s_\-]+", spaced) if word]
    words = [ACRONYMS.get(word, word) for word in words]
    label = " ".join(words)
    return label[:1].upper() + label[1:]
