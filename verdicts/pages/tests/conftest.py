"""Fixtures for page tests: the panel's scripted model and personas, the league of tools."""

from testkit.panel import builder, panel_settings, script, skeptic  # noqa: F401
from testkit.votes import league  # noqa: F401
