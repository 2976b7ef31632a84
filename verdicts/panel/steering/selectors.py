"""Reads of the steering flags, for the tool page and the editors' queue."""

from dataclasses import dataclass

from django.db.models import QuerySet

from verdicts.panel.steering.detector import steering_rules
from verdicts.panel.steering.models import SteeringFlag


@dataclass(frozen=True)
class SteeringSummary:
    """What a reader is told: how many passages were set aside, of which kinds, from where."""

    count: int
    kinds: list[str]
    sources: list[str]


def steering_flags_for_tools(*, tool_ids: list[int]) -> QuerySet[SteeringFlag]:
    return SteeringFlag.objects.filter(tool_id__in=tool_ids).order_by("tool_id", "source", "start")


def steering_summary(*, tool_id: int) -> SteeringSummary | None:
    """None when nothing in the tool's material was flagged; one query."""
    rows = list(
        SteeringFlag.objects.filter(tool_id=tool_id).values_list("group", "label", "start", "end")
    )
    if not rows:
        return None
    groups = steering_rules().groups
    passages = {(label, start, end) for _, label, start, end in rows}
    return SteeringSummary(
        count=len(passages),
        kinds=[groups.get(group, group) for group in dict.fromkeys(g for g, *_ in rows)],
        sources=list(dict.fromkeys(label for _, label, *_ in rows)),
    )
