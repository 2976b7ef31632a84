"""Votes test helpers: clean rate limits, bulk votes, and a small league of tools.

Conftests register the fixtures they need with `from testkit.votes import ...  # noqa: F401`.
"""

import pytest
from django.core.cache import cache

from verdicts.catalog.tests.factories import CategoryFactory, ComparisonFactory, ToolFactory
from verdicts.votes.models import PairVote, ToolVote

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def fresh_rate_limits(request):
    """Rate-limit counters live in the cache; each test starts with none.

    The default cache is a database table, so only a test that may use the database clears it
    (a test in a rolled-back transaction would drop its rows anyway; a transactional one not).
    """
    uses_database = request.node.get_closest_marker("django_db") or (
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    cache.clear()
    yield
    cache.clear()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


def picks(comparison, a: int, b: int, tie: int = 0) -> None:
    rows = ["a"] * a + ["b"] * b + ["tie"] * tie
    PairVote.objects.bulk_create(
        PairVote(comparison=comparison, voter_key=f"anon:{comparison.pk}-{i}", pick=pick)
        for i, pick in enumerate(rows)
    )


def ships(tool, ship: int, skip: int) -> None:
    rows = ["ship"] * ship + ["skip"] * skip
    ToolVote.objects.bulk_create(
        ToolVote(tool=tool, voter_key=f"anon:{tool.pk}-{i}", choice=choice)
        for i, choice in enumerate(rows)
    )


@pytest.fixture
def league(db):
    """Strong beats everyone; twin and weak cannot be told apart; one tool in another category."""
    coding, other = CategoryFactory(slug="coding"), CategoryFactory(slug="vision")
    strong, twin, weak = (ToolFactory(category=coding, name=n) for n in ("Strong", "Twin", "Weak"))
    outsider = ToolFactory(category=other, name="Outsider")
    picks(ComparisonFactory(tool_a=strong, tool_b=weak), 90, 10)
    picks(ComparisonFactory(tool_a=strong, tool_b=twin), 85, 15, 4)
    picks(ComparisonFactory(tool_a=twin, tool_b=weak), 26, 24)
    picks(ComparisonFactory(tool_a=outsider, tool_b=weak), 20, 20)
    ships(strong, 100, 1)
    ships(twin, 2, 0)
    return {"strong": strong, "twin": twin, "weak": weak, "outsider": outsider}
