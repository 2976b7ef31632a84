"""Fixtures for API tests: the panel's scripted model and personas, clean rate limits."""

from testkit.panel import builder, panel_settings, script, skeptic  # noqa: F401
from testkit.votes import fresh_rate_limits  # noqa: F401
