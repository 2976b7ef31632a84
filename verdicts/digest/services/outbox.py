"""Sending an issue through an outbox: one row a reader, each message sent exactly once."""

import contextlib
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from verdicts.digest.messages import IssueMailing
from verdicts.digest.models import Delivery, Issue, Subscriber
from verdicts.digest.services.issues import NothingToBuild, issue_build
from verdicts.digest.tokens import message_id_make

SEND_BATCH = 200


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
