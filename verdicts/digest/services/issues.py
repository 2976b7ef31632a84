"""Building an issue: the comparisons published since the last one, and the panel's verdict
changes since then, frozen as they read now."""

import re
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.common.share import Share
from verdicts.common.urls import absolute_url
from verdicts.digest.models import Issue
from verdicts.digest.selectors import IssueComparison, comparison_for_issue
from verdicts.panel.history.selectors import VerdictChangeItem, verdict_change_list
from verdicts.panel.labels import review_label

LINE_MAX = 220


class NothingToBuild(Exception):
    """No comparison was published, and no verdict changed, since the last issue."""


@dataclass(frozen=True)
class ShareSnapshot:
    count: int
    total: int
    percent: int | None
    low: int
    high: int


@dataclass(frozen=True)
class SideSnapshot:
    name: str
    tagline: str
    url: str
    panel: ShareSnapshot
    community: ShareSnapshot


@dataclass(frozen=True)
class PersonaLine:
    """What one persona said of the pair, in a line."""

    persona: str
    verdicts: str
    about: str
    line: str
    # Who wrote the quoted review: "ai" or "editorial", its badge and its label in words.
    # Empty in issues built before reviews were labelled.
    kind: str = ""
    badge: str = ""
    label: str = ""


@dataclass(frozen=True)
class IssueItem:
    """What an issue keeps of one comparison: frozen, so the issue reads the same forever."""

    title: str
    question: str
    url: str
    published_at: str
    sides: list[SideSnapshot]
    panel_too_close: bool
    lines: list[PersonaLine]


@dataclass(frozen=True)
class ChangeItem:
    """A verdict change as the issue keeps it: what flipped or crossed one half, the share
    before and after, what changed in the dossier (None: not recorded), and who wrote it."""

    title: str
    summary: str
    url: str
    changed_at: str
    dossier: list[str] | None
    kind: str
    badge: str
    label: str


def change_item(*, found: VerdictChangeItem) -> ChangeItem:
    change = found.change
    return ChangeItem(
        title=found.title,
        summary=found.summary,
        url=absolute_url(f"{found.tool.get_absolute_url()}#review-{change.review_id}"),
        changed_at=change.created_at.isoformat(),
        dossier=None if found.changes is None else [c.text for c in found.changes],
        kind=found.label.kind,
        badge=found.label.badge,
        label=found.label.text,
    )


def share_snapshot(share: Share) -> ShareSnapshot:
    low, high = share.interval_percent
    return ShareSnapshot(
        count=share.count, total=share.total, percent=share.percent, low=low, high=high
    )


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > LINE_MAX:
        sentence = sentence[: LINE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def issue_item(*, found: IssueComparison) -> IssueItem:
    """One comparison as the issue tells it: both tools' shares and a line per persona."""
    comparison = found.comparison
    names = {side.tool.pk: side.tool.name for side in found.sides}
    lines = []
    for take in found.takes:
        reviews = take.reviews
        verdicts = ", ".join(
            f"{review.get_verdict_display().lower()}s {names[review.tool_id]}" for review in reviews
        )
        # On a split, quote the review of the tool the persona would ship.
        quoted = next((r for r in reviews if take.is_split and r.verdict == "ship"), reviews[0])
        label = review_label(quoted)
        lines.append(
            PersonaLine(
                persona=take.persona.name,
                verdicts=verdicts[:1].upper() + verdicts[1:],
                about=names[quoted.tool_id],
                line=first_sentence(quoted.body),
                kind=label.kind,
                badge=label.badge,
                label=label.text,
            )
        )
    return IssueItem(
        title=comparison.title,
        question=comparison.question,
        url=absolute_url(comparison.get_absolute_url()),
        published_at=comparison.published_at.isoformat(),
        sides=[
            SideSnapshot(
                name=side.tool.name,
                tagline=side.tool.tagline,
                url=absolute_url(side.tool.get_absolute_url()),
                panel=share_snapshot(side.panel),
                community=share_snapshot(side.community),
            )
            for side in found.sides
        ],
        panel_too_close=found.panel_too_close,
        lines=lines,
    )


def issue_subject(*, items: list[IssueItem], changes: list[ChangeItem]) -> str:
    if not items:
        return f"{len(changes)} verdict{'s' if len(changes) > 1 else ''} changed"
    if len(items) == 1:
        return items[0].title
    more = len(items) - 1
    return f"{items[0].title} and {more} more comparison{'s' if more > 1 else ''}"


@transaction.atomic
def issue_build(*, now: datetime | None = None) -> Issue:
    """Compose the next issue from the comparisons published since the last one."""
    now = now or timezone.now()
    last = Issue.objects.select_for_update().order_by("-number").first()
    comparisons = Comparison.objects.published().with_tools().filter(published_at__lte=now)
    if last is not None:
        comparisons = comparisons.filter(published_at__gt=last.covers_until)
    comparisons = list(comparisons.order_by("-published_at", "-id"))
    changes = [
        change_item(found=found)
        for found in verdict_change_list(since=last.covers_until if last else None, until=now)
    ]
    if not comparisons and not changes:
        since = f" since issue #{last.number}" if last else ""
        raise NothingToBuild(
            f"No comparison was published and no verdict changed{since}; there is nothing to send."
        )
    items = [issue_item(found=comparison_for_issue(comparison=c)) for c in comparisons]
    issue = Issue(
        number=last.number + 1 if last else 1,
        subject=issue_subject(items=items, changes=changes)[:200],
        covers_from=last.covers_until if last else None,
        covers_until=now,
        # The stored issue is JSON: what the email and the archive render, unchanged forever.
        content={
            "items": [asdict(item) for item in items],
            "changes": [asdict(change) for change in changes],
        },
    )
    # The number's uniqueness is the database's to judge, below: a check here races.
    issue.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError as error:
        # Every worker runs the weekly job. One that waited on the lock above still read the
        # issue before the new one (or there was none to lock), so it numbered it again.
        raise NothingToBuild(f"Issue #{issue.number} was just built by another process.") from error
    return issue
