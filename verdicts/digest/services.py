"""Writes: signups, confirmations, unsubscribes, building and sending issues."""

import contextlib
import re
import secrets
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.common.ratelimit import rate_hit
from verdicts.common.share import Share
from verdicts.common.urls import absolute_url
from verdicts.compare.selectors import ComparisonPage, comparison_page
from verdicts.digest.messages import IssueMailing, confirmation_message
from verdicts.digest.models import Delivery, Issue, Subscriber
from verdicts.digest.tokens import (
    TokenInvalid,
    confirm_token_read,
    message_id_make,
    unsubscribe_token_read,
)

# A second signup for the same pending address within this window sends no second email.
CONFIRM_RESEND_AFTER = timedelta(minutes=10)
SEND_BATCH = 200
LINE_MAX = 220


class SignupRefused(ValueError):
    """The input is not an address we can accept; the message says why."""


class SignupRateLimited(Exception):
    """Too many signups from one client in an hour."""


class ConfirmationUsed(Exception):
    """A genuine confirmation link that was already used or replaced by a newer one."""


class NothingToBuild(Exception):
    """No comparison was published since the last issue."""


def has_line_break(value: str) -> bool:
    return "\r" in value or "\n" in value


def email_normalize(*, email: str) -> str:
    """The address as we store it, or SignupRefused with a reason a reader can act on."""
    if has_line_break(email):
        raise SignupRefused("Line breaks are not allowed in an email address.")
    email = email.strip().lower()
    if not email:
        raise SignupRefused("Enter your email address.")
    if len(email) > 254:
        raise SignupRefused("That email address is too long.")
    try:
        validate_email(email)
    except ValidationError as error:
        raise SignupRefused("Enter a valid email address, like you@example.com.") from error
    return email


def signup_rate_check(*, client_key: str) -> None:
    """Count one signup for this client; SignupRateLimited past the hourly limit."""
    limit = settings.VERDICTS_SIGNUPS_PER_HOUR
    if rate_hit(bucket=f"signups:{client_key}", limit=limit, window=3600):
        raise SignupRateLimited


@transaction.atomic
def subscriber_signup(*, email: str, source: str = "", client_key: str) -> None:
    """Start double opt-in for an address.

    The caller learns nothing about whether the address was already on the list: a confirmed
    address gets no mail at all, any other gets a fresh single-use confirmation link.
    """
    if has_line_break(source):
        raise SignupRefused("Line breaks are not allowed in any field.")
    email = email_normalize(email=email)
    signup_rate_check(client_key=client_key)
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        subscriber = Subscriber(email=email, source=source[:20])
        subscriber.full_clean()
        try:
            with transaction.atomic():
                subscriber.save()
        except IntegrityError:
            # A concurrent signup for the same address won the insert; carry on with its row.
            subscriber = Subscriber.objects.select_for_update().get(email=email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return
    recently = subscriber.confirm_requested_at and now - subscriber.confirm_requested_at < (
        CONFIRM_RESEND_AFTER
    )
    if subscriber.status == Subscriber.Status.PENDING and subscriber.confirm_nonce and recently:
        return
    subscriber.status = Subscriber.Status.PENDING
    subscriber.confirm_nonce = secrets.token_urlsafe(16)
    subscriber.confirm_requested_at = now
    subscriber.full_clean()
    subscriber.save()
    confirmation_enqueue(subscriber_id=subscriber.pk, nonce=subscriber.confirm_nonce)


def confirmation_enqueue(*, subscriber_id: int, nonce: str) -> None:
    """Send the confirmation in the background once the signup is committed."""
    from verdicts.digest.tasks import confirmation_send_task

    transaction.on_commit(lambda: confirmation_send_task(subscriber_id, nonce))


def confirmation_send(*, subscriber_id: int, nonce: str) -> bool:
    """Mail the confirmation link, unless the request was superseded, used or withdrawn."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING, confirm_nonce=nonce
    ).first()
    if subscriber is None:
        return False
    message = confirmation_message(subscriber_id=subscriber.pk, email=subscriber.email, nonce=nonce)
    message.send(using=settings.VERDICTS_DIGEST_MAILER)
    Subscriber.objects.filter(pk=subscriber.pk).update(confirm_sent_at=timezone.now())
    return True


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """Confirm the address a link names; each link works once and for 48 hours."""
    subscriber_id, nonce = confirm_token_read(token=token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        raise TokenInvalid
    if (
        subscriber.status != Subscriber.Status.PENDING
        or not nonce
        or subscriber.confirm_nonce != nonce
    ):
        raise ConfirmationUsed
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirm_nonce = ""
    subscriber.confirmed_at = timezone.now()
    subscriber.full_clean()
    subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber:
    """Unsubscribe at once, including from a send under way; doing it twice is harmless."""
    subscriber_id = unsubscribe_token_read(token=token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        raise TokenInvalid
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.confirm_nonce = ""
        subscriber.full_clean()
        subscriber.save()
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED
    )
    return subscriber


def share_snapshot(share: Share) -> dict:
    low, high = share.interval_percent
    return {
        "count": share.count,
        "total": share.total,
        "percent": share.percent,
        "low": low,
        "high": high,
    }


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > LINE_MAX:
        sentence = sentence[: LINE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def issue_item(*, page: ComparisonPage) -> dict:
    """What an issue keeps of one comparison: frozen, so the issue reads the same forever."""
    comparison = page.comparison
    names = {side.tool.pk: side.tool.name for side in page.sides}
    lines = []
    for row in page.scorecard:
        reviews = [review for review in (row.review_a, row.review_b) if review is not None]
        verdicts = ", ".join(
            f"{review.get_verdict_display().lower()}s {names[review.tool_id]}" for review in reviews
        )
        # On a split, quote the review of the tool the persona would ship.
        quoted = next((r for r in reviews if row.is_split and r.verdict == "ship"), reviews[0])
        lines.append(
            {
                "persona": row.persona.name,
                "verdicts": verdicts[:1].upper() + verdicts[1:],
                "about": names[quoted.tool_id],
                "line": first_sentence(quoted.body),
            }
        )
    return {
        "title": comparison.title,
        "question": comparison.question,
        "url": absolute_url(comparison.get_absolute_url()),
        "published_at": comparison.published_at.isoformat(),
        "sides": [
            {
                "name": side.tool.name,
                "tagline": side.tool.tagline,
                "url": absolute_url(side.tool.get_absolute_url()),
                "panel": share_snapshot(side.panel),
                "community": share_snapshot(side.community),
            }
            for side in page.sides
        ],
        "panel_too_close": bool(
            page.side_a.panel.has_data and page.side_b.panel.has_data and page.panel_too_close
        ),
        "lines": lines,
    }


def issue_subject(*, items: list[dict]) -> str:
    if len(items) == 1:
        return items[0]["title"]
    more = len(items) - 1
    return f"{items[0]['title']} and {more} more comparison{'s' if more > 1 else ''}"


@transaction.atomic
def issue_build(*, now: datetime | None = None) -> Issue:
    """Compose the next issue from the comparisons published since the last one."""
    now = now or timezone.now()
    last = Issue.objects.select_for_update().order_by("-number").first()
    comparisons = Comparison.objects.published().with_tools().filter(published_at__lte=now)
    if last is not None:
        comparisons = comparisons.filter(published_at__gt=last.covers_until)
    comparisons = list(comparisons.order_by("-published_at", "-id"))
    if not comparisons:
        since = f" since issue #{last.number}" if last else ""
        raise NothingToBuild(f"No comparison was published{since}; there is nothing to send.")
    items = [issue_item(page=comparison_page(comparison=c)) for c in comparisons]
    issue = Issue(
        number=last.number + 1 if last else 1,
        subject=issue_subject(items=items)[:200],
        covers_from=last.covers_until if last else None,
        covers_until=now,
        content={"items": items},
    )
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_send_start(*, number: int) -> Issue:
    """Fill the outbox with this issue's confirmed readers, once; later calls change nothing."""
    issue = Issue.objects.select_for_update().get(number=number)
    if issue.status != Issue.Status.DRAFT:
        return issue
    now = timezone.now()
    readers = (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Delivery.objects.bulk_create(
        (
            Delivery(
                issue=issue,
                subscriber_id=subscriber_id,
                message_id=message_id_make(
                    kind="digest", number=issue.number, subscriber_id=subscriber_id
                ),
            )
            for subscriber_id in readers.iterator(chunk_size=2000)
        ),
        batch_size=500,
        ignore_conflicts=True,
    )
    issue.status = Issue.Status.SENDING
    issue.send_started_at = now
    issue.heartbeat_at = now
    issue.full_clean()
    issue.save()
    return issue


def due(now: datetime) -> Q:
    """Rows no live sender holds: never claimed, or claimed by a sender that died."""
    return Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_until__lt=now
    )


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    finished: bool = False


# The two writes every message costs, in plain SQL: the ORM took longer to compile them than
# the database took to run them, a third of the sending time at ten thousand readers.
CLAIM_SQL = f"""
UPDATE {Delivery._meta.db_table} SET status = %s, claimed_until = %s, attempts = attempts + 1
WHERE id = %s
  AND (status = %s OR (status = %s AND claimed_until < %s))
  AND EXISTS (
    SELECT 1 FROM {Subscriber._meta.db_table} s
    WHERE s.id = {Delivery._meta.db_table}.subscriber_id AND s.status = %s
  )
"""
FINISH_SQL = f"""
UPDATE {Delivery._meta.db_table} SET status = %s, claimed_until = NULL, sent_at = %s, error = %s
WHERE id = %s
"""


def delivery_claim(*, delivery_id: int) -> bool:
    """Take one row for this sender, only if its reader is still confirmed at this moment."""
    now = timezone.now()
    lease = timedelta(seconds=settings.VERDICTS_DIGEST_LEASE_SECONDS)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            [
                Delivery.Status.SENDING.value,
                adapt(now + lease),
                delivery_id,
                Delivery.Status.PENDING.value,
                Delivery.Status.SENDING.value,
                adapt(now),
                Subscriber.Status.CONFIRMED.value,
            ],
        )
        return cursor.rowcount == 1


def delivery_finish(*, delivery_id: int, status: str, error: str = "") -> None:
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(FINISH_SQL, [status, adapt(timezone.now()), error[:500], delivery_id])


def delivery_release(*, delivery_id: int, error: str) -> None:
    """Give a row back after a failure that may be temporary, for the retry to take."""
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, claimed_until=None, error=error[:500]
    )


def is_permanent_refusal(error: Exception) -> bool:
    """SMTP 5xx for this one message (not the sender): retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def issue_send(*, number: int, progress: Callable[[int], None] | None = None) -> SendReport:
    """Send an issue to every confirmed reader exactly once; safe to rerun after any crash.

    Each message is claimed, handed to SMTP and recorded as sent, each step committed on its
    own: a crash can leave one message claimed but unrecorded, and the resume resends only
    that one, once its claim lapses (VERDICTS_DIGEST_LEASE_SECONDS).
    """
    issue = issue_send_start(number=number)
    report = SendReport()
    mailing = IssueMailing(issue)
    with mailers[settings.VERDICTS_DIGEST_MAILER] as connection:
        while True:
            batch = list(
                Delivery.objects.filter(due(timezone.now()), issue=issue)
                .filter(subscriber__status=Subscriber.Status.CONFIRMED)
                .order_by("pk")
                .values_list("pk", "subscriber_id", "subscriber__email", "message_id")[:SEND_BATCH]
            )
            Issue.objects.filter(pk=issue.pk).update(heartbeat_at=timezone.now())
            if batch:
                for delivery_id, subscriber_id, email, message_id in batch:
                    message = mailing.message(
                        subscriber_id=subscriber_id, email=email, message_id=message_id
                    )
                    delivery_send(
                        connection=connection,
                        message=message,
                        delivery_id=delivery_id,
                        report=report,
                    )
                    if progress:
                        progress(1)
                continue
            claimed_until = issue_open_claims(issue_id=issue.pk)
            if claimed_until is None:
                break
            # Another sender holds rows: if it is alive it finishes them, if it died its
            # claims lapse; either way wait, then look again.
            time.sleep(max(0.0, (claimed_until - timezone.now()).total_seconds()) + 0.05)
    report.finished = issue_finish(issue_id=issue.pk)
    return report


def delivery_send(
    *,
    connection,
    message: EmailMultiAlternatives,
    delivery_id: int,
    report: SendReport,
) -> None:
    """Claim, hand to SMTP, record: one message of an issue."""
    if not delivery_claim(delivery_id=delivery_id):
        return
    try:
        connection.send_messages([message])
    except (smtplib.SMTPException, OSError, ValueError) as error:
        if isinstance(error, ValueError) or is_permanent_refusal(error):
            delivery_finish(
                delivery_id=delivery_id, status=Delivery.Status.FAILED, error=str(error)
            )
            report.failed += 1
            return
        delivery_release(delivery_id=delivery_id, error=str(error))
        raise
    delivery_finish(delivery_id=delivery_id, status=Delivery.Status.SENT)
    report.sent += 1


def issue_open_claims(*, issue_id: int) -> datetime | None:
    """Skip rows of readers who left; the earliest lapse of the claims still open, if any."""
    now = timezone.now()
    Delivery.objects.filter(due(now), issue_id=issue_id).exclude(
        subscriber__status=Subscriber.Status.CONFIRMED
    ).update(status=Delivery.Status.SKIPPED, claimed_until=None)
    open_rows = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    )
    if not open_rows.exists():
        return None
    return open_rows.aggregate(earliest=Min("claimed_until"))["earliest"] or now


def issue_finish(*, issue_id: int) -> bool:
    """Mark the issue sent once no row is left to send."""
    if issue_open_claims(issue_id=issue_id) is not None:
        return False
    Issue.objects.filter(pk=issue_id, sent_at__isnull=True).update(
        status=Issue.Status.SENT, sent_at=timezone.now()
    )
    return True


def digest_weekly(*, now: datetime | None = None) -> list[SendReport]:
    """The weekly job: build an issue if anything new was published, then send what is unsent."""
    with contextlib.suppress(NothingToBuild):
        issue_build(now=now)
    unsent = Issue.objects.exclude(status=Issue.Status.SENT).order_by("number")
    return [issue_send(number=number) for number in unsent.values_list("number", flat=True)]
