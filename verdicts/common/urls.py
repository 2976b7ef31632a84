"""Absolute URLs: SITE_URL, never the host a request happened to name."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The public address of a site path, for mail, feeds and the API."""
    return f"{settings.SITE_URL}{path}"
