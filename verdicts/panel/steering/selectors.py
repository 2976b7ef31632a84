"""Reads of the steering flags, for the tool page and the editors' queue, and of the answers
held because of them (verdicts/panel/services/holds.py), for the pages, the API and the audit."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value

from verdicts.panel.models import HELD_HOLDS, Hold, JobKind, JobStatus, PanelJob, Review
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


# Held answers, in words (verdicts/panel/services/holds.py decides them).
HOLD_WORDS = {
    Hold.PENDING: "still being asked again without the vendor's text",
    Hold.SWAYED: "swayed: the answer changed when every vendor-written passage was left out",
}


@dataclass(frozen=True)
class HeldAnswers:
    """How many of the panel's answers about some tools are held out of the figures, and why."""

    reviews: int
    picks: int
    reasons: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return self.reviews + self.picks


def held_answers(*, tool_ids: Iterable[int]) -> HeldAnswers:
    """The held current reviews of these tools and held latest picks between them (a pair) or
    of it (one tool), in one query."""
    tool_ids = list(tool_ids)
    reviews = (
        Review.objects.current()
        .filter(tool_id__in=tool_ids, persona__is_active=True, hold__in=HELD_HOLDS)
        .annotate(source=Value(JobKind.REVIEW))
        .values_list("hold", "hold_reason", "source")
        .order_by()
    )
    picks = PanelJob.objects.filter(
        kind=JobKind.HEAD_TO_HEAD,
        status=JobStatus.DONE,
        counterfactual_of__isnull=True,
        hold__in=HELD_HOLDS,
    )
    if len(tool_ids) == 2:
        picks = picks.filter(tool_id__in=tool_ids, other_tool_id__in=tool_ids)
    else:
        picks = picks.filter(Q(tool_id__in=tool_ids) | Q(other_tool_id__in=tool_ids))
    newer = PanelJob.objects.filter(
        kind=JobKind.HEAD_TO_HEAD,
        status=JobStatus.DONE,
        counterfactual_of__isnull=True,
        persona=OuterRef("persona"),
        tool=OuterRef("tool"),
        other_tool=OuterRef("other_tool"),
        finished_at__gt=OuterRef("finished_at"),
    )
    picks = (
        picks.filter(~Exists(newer))
        .annotate(source=F("kind"))
        .values_list("hold", "hold_reason", "source")
        .order_by()
    )
    rows = list(reviews.union(picks, all=True).order_by())
    reasons = Counter(
        HOLD_WORDS.get(hold) or reason.removeprefix("held: ") for hold, reason, _ in rows
    )
    return HeldAnswers(
        reviews=sum(source == JobKind.REVIEW for *_, source in rows),
        picks=sum(source == JobKind.HEAD_TO_HEAD for *_, source in rows),
        reasons=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
    )


def counterfactual_pairs(*, model_id: str) -> list[tuple[str, str]]:
    """Each answer of this model that was asked again without vendor text, with the answer it
    got then: (verdict or picked tool, the same without vendor text); one query."""
    rows = PanelJob.objects.filter(
        model_id=model_id,
        status=JobStatus.DONE,
        counterfactual_of__status=JobStatus.DONE,
    ).values_list("kind", "counterfactual_of__answer", "answer")
    key = {JobKind.REVIEW: "verdict", JobKind.HEAD_TO_HEAD: "pick_tool_id"}
    return [
        (str(original.get(key[kind], "")), str(again.get(key[kind], "")))
        for kind, original, again in rows.order_by()
    ]
