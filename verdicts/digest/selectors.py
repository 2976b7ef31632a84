"""Reads: the issue archive, link checks, sending progress, what an issue says of a comparison
and feed contents."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.share import Share
from verdicts.digest.models import Delivery, Issue, Subscriber
from verdicts.digest.tokens import TokenInvalid, confirm_token_read, unsubscribe_token_read
from verdicts.panel.models import Persona, Review
from verdicts.panel.selectors import panel_shares, review_list_current
from verdicts.votes.selectors import community_shares

FEED_LENGTH = 30


def issue_list_public() -> QuerySet[Issue]:
    """Issues whose sending has begun, newest first: drafts stay private."""
    return Issue.objects.exclude(status=Issue.Status.DRAFT).defer("content")


def issue_get_public(*, number: int) -> Issue | None:
    return Issue.objects.exclude(status=Issue.Status.DRAFT).filter(number=number).first()


def issue_get(*, number: int | None) -> Issue | None:
    """The issue with this number; without one, the oldest issue not yet fully sent."""
    if number is not None:
        return Issue.objects.filter(number=number).first()
    return Issue.objects.exclude(status=Issue.Status.SENT).order_by("number").first()


def confirmation_is_usable(*, token: str) -> bool:
    """True while a confirmation link can still be used; TokenInvalid / TokenExpired otherwise."""
    subscriber_id, nonce = confirm_token_read(token=token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).only("status", "confirm_nonce").first()
    if subscriber is None:
        raise TokenInvalid
    return (
        subscriber.status == Subscriber.Status.PENDING
        and bool(nonce)
        and subscriber.confirm_nonce == nonce
    )


def unsubscribe_subscriber(*, token: str) -> Subscriber:
    """The subscriber an unsubscribe link names; TokenInvalid when there is none."""
    subscriber = Subscriber.objects.filter(pk=unsubscribe_token_read(token=token)).first()
    if subscriber is None:
        raise TokenInvalid
    return subscriber


@dataclass(frozen=True)
class SendProgress:
    status: str
    total: int
    done: int
    sent: int
    failed: int
    skipped: int


def issue_progress(*, issue_id: int) -> SendProgress:
    """How far the sending of an issue has got, in two queries."""
    status = Issue.objects.values_list("status", flat=True).get(pk=issue_id)
    counts = Delivery.objects.filter(issue_id=issue_id).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        skipped=Count("pk", filter=Q(status=Delivery.Status.SKIPPED)),
    )
    done = counts["sent"] + counts["failed"] + counts["skipped"]
    return SendProgress(status=status, done=done, **counts)


def comparison_list_for_feed() -> QuerySet[Comparison]:
    return Comparison.objects.published().with_tools()[:FEED_LENGTH]


def tool_list_newest() -> QuerySet[Tool]:
    return (
        Tool.objects.published()
        .select_related("category", "vendor")
        .order_by("-created_at", "-id")[:FEED_LENGTH]
    )


def issue_numbers_stalled(*, now: datetime) -> list[int]:
    """Issues being sent whose sender has shown no sign of life for two claim periods."""
    quiet = now - timedelta(seconds=2 * settings.VERDICTS_DIGEST_LEASE_SECONDS)
    return list(
        Issue.objects.filter(status=Issue.Status.SENDING, heartbeat_at__lt=quiet).values_list(
            "number", flat=True
        )
    )


def confirmations_unsent(*, now: datetime) -> list[tuple[int, str]]:
    """Signups from the last two hours whose confirmation was lost (a worker died before SMTP)."""
    return list(
        Subscriber.objects.filter(
            status=Subscriber.Status.PENDING,
            confirm_requested_at__lt=now - timedelta(minutes=10),
            confirm_requested_at__gt=now - timedelta(hours=2),
        )
        .filter(Q(confirm_sent_at__isnull=True) | Q(confirm_sent_at__lt=F("confirm_requested_at")))
        .exclude(confirm_nonce="")
        .values_list("pk", "confirm_nonce")
    )


@dataclass(frozen=True)
class IssueSide:
    """One tool of a comparison, with its panel and community ship shares."""

    tool: Tool
    panel: Share
    community: Share


@dataclass(frozen=True)
class PersonaTake:
    """One persona's current reviews of the pair, the first tool's first; one may be missing."""

    persona: Persona
    reviews: list[Review]

    @property
    def is_split(self) -> bool:
        """True when the persona ships one tool and skips the other."""
        return len(self.reviews) == 2 and self.reviews[0].verdict != self.reviews[1].verdict


@dataclass(frozen=True)
class IssueComparison:
    """What an issue tells of one comparison: both tools' shares and each persona's take."""

    comparison: Comparison
    side_a: IssueSide
    side_b: IssueSide
    takes: list[PersonaTake]

    @property
    def sides(self) -> tuple[IssueSide, IssueSide]:
        return (self.side_a, self.side_b)

    @property
    def panel_too_close(self) -> bool:
        """Both tools have panel verdicts and their intervals overlap."""
        a, b = self.side_a.panel, self.side_b.panel
        return a.has_data and b.has_data and a.overlaps(b)


def comparison_for_issue(*, comparison: Comparison) -> IssueComparison:
    """A comparison (with its tools loaded) as an issue tells it, in two queries."""
    tool_a, tool_b = comparison.tools
    tool_ids = [tool_a.pk, tool_b.pk]
    reviews = review_list_current(tool_ids=tool_ids)
    panel = panel_shares(reviews=reviews, tool_ids=tool_ids)
    community = community_shares(tool_ids=tool_ids)
    by_persona: dict[int, dict[int, Review]] = {}
    personas: dict[int, Persona] = {}
    for review in reviews:
        personas[review.persona_id] = review.persona
        by_persona.setdefault(review.persona_id, {})[review.tool_id] = review
    takes = [
        PersonaTake(
            persona=persona,
            reviews=[
                by_persona[persona.pk][tool.pk]
                for tool in (tool_a, tool_b)
                if tool.pk in by_persona[persona.pk]
            ],
        )
        for persona in sorted(personas.values(), key=lambda persona: persona.panel_order_key)
    ]
    return IssueComparison(
        comparison=comparison,
        side_a=IssueSide(tool=tool_a, panel=panel[tool_a.pk], community=community[tool_a.pk]),
        side_b=IssueSide(tool=tool_b, panel=panel[tool_b.pk], community=community[tool_b.pk]),
        takes=takes,
    )
