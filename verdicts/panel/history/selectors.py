"""Reads of the history: each persona's verdict timeline on a tool, and the verdict changes."""

import datetime
from dataclasses import dataclass

from verdicts.catalog.models import Tool
from verdicts.panel.history.boundary import panel_side, panel_side_words
from verdicts.panel.history.snapshot import DossierChange, snapshot_changes
from verdicts.panel.labels import ReviewLabel, review_label
from verdicts.panel.models import Persona, Review, VerdictChange

# The newest review versions a tool page reads: a bound on the page, whatever the history.
TIMELINE_REVIEWS = 60
CHANGES_MAX = 50


@dataclass(frozen=True)
class TimelineEntry:
    """One review version: its verdict and date, who wrote it, and what changed in the dossier
    since the persona's version before (None: not recorded for one of the two)."""

    review_id: int
    verdict: str
    verdict_label: str
    created_at: datetime.datetime
    label: ReviewLabel
    is_first: bool
    changes: list[DossierChange] | None


@dataclass(frozen=True)
class PersonaTimeline:
    persona: Persona
    entries: list[TimelineEntry]  # oldest first

    @property
    def has_history(self) -> bool:
        return len(self.entries) > 1


def review_snapshot_facts(review: Review | None) -> dict | None:
    """The review's dossier snapshot, read through select_related; None when none was kept."""
    if review is None:
        return None
    try:
        return review.snapshot.facts
    except Review.snapshot.RelatedObjectDoesNotExist:
        return None


def dossier_changes_between(before: Review | None, after: Review) -> list[DossierChange] | None:
    """What changed in the dossier from one review to the next; None when either kept none."""
    old, new = review_snapshot_facts(before), review_snapshot_facts(after)
    if old is None or new is None:
        return None
    return snapshot_changes(old, new)


def tool_timeline(*, tool_id: int, limit: int = TIMELINE_REVIEWS) -> list[PersonaTimeline]:
    """Every counted review version of a tool by an active persona, newest `limit` of them,
    grouped by persona in panel order, oldest first. One query."""
    reviews = list(
        Review.objects.counted()
        .filter(tool_id=tool_id, persona__is_active=True)
        .select_related("persona", "snapshot")
        .order_by("-pk")[:limit]
    )
    by_persona: dict[int, list[Review]] = {}
    for review in reversed(reviews):
        by_persona.setdefault(review.persona_id, []).append(review)
    timelines = []
    for versions in by_persona.values():
        entries = [
            TimelineEntry(
                review_id=review.pk,
                verdict=review.verdict,
                verdict_label=review.get_verdict_display(),
                created_at=review.created_at,
                label=review_label(review),
                is_first=index == 0,
                changes=None
                if index == 0
                else dossier_changes_between(versions[index - 1], review),
            )
            for index, review in enumerate(versions)
        ]
        timelines.append(PersonaTimeline(persona=versions[0].persona, entries=entries))
    return sorted(timelines, key=lambda timeline: timeline.persona.panel_order_key)


@dataclass(frozen=True)
class VerdictChangeItem:
    """A verdict change as the feeds and the digest tell it."""

    change: VerdictChange
    title: str
    summary: str
    label: ReviewLabel
    changes: list[DossierChange] | None

    @property
    def tool(self) -> Tool:
        return self.change.tool


def change_title(change: VerdictChange) -> str:
    persona, tool = change.persona.name, change.tool.name
    after = change.get_verdict_after_display().lower()
    if change.verdict_before and change.verdict_before != change.verdict_after:
        return f"{persona} now says {after} on {tool} (was {change.verdict_before})"
    return f"{tool}: the panel now has {panel_side_words(change_side(change, after=True))}"


def change_side(change: VerdictChange, *, after: bool) -> str:
    if after:
        return panel_side(ships=change.ships_after, total=change.total_after)
    return panel_side(ships=change.ships_before, total=change.total_before)


def change_summary(change: VerdictChange) -> str:
    """The panel share before and after, and whether it crossed one half."""
    before, after = change_side(change, after=False), change_side(change, after=True)
    text = (
        f"Panel ship share: {change.ships_before} of {change.total_before} before, "
        f"{change.ships_after} of {change.total_after} now"
    )
    if before and before != after:
        text += f"; it crossed one half ({panel_side_words(before)} → {panel_side_words(after)})"
    return text + "."


def verdict_change_list(
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    limit: int = CHANGES_MAX,
) -> list[VerdictChangeItem]:
    """Verdict changes on published tools, newest first, at most `limit`. One query."""
    changes = VerdictChange.objects.filter(tool__status=Tool.Status.PUBLISHED).select_related(
        "tool", "persona", "review__persona", "review__snapshot", "previous__snapshot"
    )
    if since is not None:
        changes = changes.filter(created_at__gt=since)
    if until is not None:
        changes = changes.filter(created_at__lte=until)
    return [
        VerdictChangeItem(
            change=change,
            title=change_title(change),
            summary=change_summary(change),
            label=review_label(change.review),
            changes=dossier_changes_between(change.previous, change.review),
        )
        for change in changes.order_by("-created_at", "-id")[:limit]
    ]
