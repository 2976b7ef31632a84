"""The verification step reads what tools have left to check a batch at a time."""

import pytest
from django.utils import timezone

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.daily.models import DailyRun
from verdicts.daily.runs import DailyContext
from verdicts.daily.steps import intake
from verdicts.ingest.models import ToolRegistryCheck

pytestmark = pytest.mark.django_db


def checked_tools(count: int) -> None:
    """Tools whose one registry (GitHub) has already answered: nothing left to ask."""
    for n in range(count):
        tool = ToolFactory(repository_url=f"https://github.com/acme/tool-{n}")
        ToolRegistryCheck.objects.create(
            tool=tool,
            registry="GitHub",
            artifact=f"acme/tool-{n}",
            checked_url=f"https://api.github.com/repos/acme/tool-{n}",
            found=True,
            checked_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("tools", "batch", "queries"),
    [
        # Per batch: its tools, their recorded facts, their registry answers; then an empty read.
        (3, 500, 4),
        (12, 500, 4),
        (9, 4, 3 * 3 + 1),
    ],
)
def test_tools_with_nothing_to_check_cost_fixed_queries_a_batch(
    monkeypatch, django_assert_num_queries, tools, batch, queries
):
    checked_tools(tools)
    monkeypatch.setattr(intake, "VERIFICATION_BATCH", batch)
    said = []
    context = DailyContext(run=DailyRun(), token="", say=said.append)

    with django_assert_num_queries(queries):
        intake.verification_step(context)

    assert said == []


def test_a_tool_left_to_check_is_asked_and_the_checked_ones_are_not(monkeypatch):
    checked_tools(2)
    fresh = ToolFactory(repository_url="https://github.com/acme/fresh")
    asked = []

    def check(*, tool, only_unchecked, targets):
        asked.append((tool.slug, targets))
        return iter(())

    monkeypatch.setattr(intake, "tool_registries_check", check)
    intake.verification_step(DailyContext(run=DailyRun(), token=""))

    assert asked == [(fresh.slug, ["github:acme/fresh"])]
