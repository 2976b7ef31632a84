"""The panel's fixtures for the dossier tests, and the fetcher's allow-list for loopback."""

import pytest

from testkit.panel import builder, panel_settings, script, tool  # noqa: F401


@pytest.fixture
def fetch_allows_httpserver(httpserver, settings):
    """Let the fetcher reach pytest-httpserver's loopback server, as a mirror would be allowed."""
    settings.VERDICTS_FETCH_ALLOW_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    return httpserver


@pytest.fixture
def index(fetch_allows_httpserver, settings):
    """A fake package index on loopback, where VERDICTS_PACKAGE_INDEX_URL points."""
    settings.VERDICTS_PACKAGE_INDEX_URL = fetch_allows_httpserver.url_for("/").rstrip("/")
    return fetch_allows_httpserver
