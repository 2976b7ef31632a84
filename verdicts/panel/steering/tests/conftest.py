"""Fixtures for the steering tests: fast panel settings and a persona."""

from testkit.panel import builder, panel_settings  # noqa: F401
