"""Fixtures for votes tests: every test starts with clean rate limits; the league of tools."""

import pytest

from testkit.votes import fresh_rate_limits, league  # noqa: F401
from verdicts.votes import tasks


@pytest.fixture(autouse=True)
def no_recompute_known(monkeypatch):
    """Each test starts knowing of no pending recompute (each process remembers the last)."""
    monkeypatch.delattr(tasks._pending_eta, "at", raising=False)
