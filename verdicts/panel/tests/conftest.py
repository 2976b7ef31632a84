"""Fixtures for panel tests: fast panel settings, a scripted model, personas and a tool."""

from testkit.panel import (  # noqa: F401
    builder,
    no_worker,
    panel_settings,
    script,
    skeptic,
    tool,
)
