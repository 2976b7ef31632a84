"""Fixtures for votes tests: every test starts with clean rate limits; the league of tools."""

from testkit.votes import fresh_rate_limits, league  # noqa: F401
