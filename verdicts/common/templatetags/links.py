"""Links to stored URLs: only http and https reach an href.

A URL field is checked when a form or an importer saves it, but a value can skip that check
(a queryset update, a data file, an old row), so templates check again when they render:
`{% with url=tool.homepage|web_url %}{% if url %}<a href="{{ url }}">…{% endif %}{% endwith %}`.
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = {"http", "https"}


@register.filter
def web_url(value: object) -> str:
    """The URL itself when it is an absolute http(s) URL with a host, else "" (no link).

    A URL with whitespace or control characters anywhere is refused too: a browser drops
    them, so "java\\tscript:" would otherwise slip past the scheme check.
    """
    url = "" if value is None else str(value)
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return url
