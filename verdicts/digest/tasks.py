"""Background jobs: confirmation mail, sending issues, the weekly run and a sweeper."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from verdicts.digest import selectors
from verdicts.digest.services import outbox, subscriptions

logger = logging.getLogger(__name__)

WEEKDAYS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def weekly_schedule(value: str) -> dict[str, str] | None:
    """Crontab fields for "mon 08:00" (UTC); None for "off"."""
    value = value.strip().lower()
    if value in {"", "off", "none", "never"}:
        return None
    try:
        day, clock = value.split()
        hour, minute = (int(part) for part in clock.split(":"))
        weekday = WEEKDAYS[day[:3]]
    except (KeyError, ValueError) as error:
        raise ImproperlyConfigured(
            f'VERDICTS_DIGEST_SCHEDULE must look like "mon 08:00" or be "off", got {value!r}'
        ) from error
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ImproperlyConfigured(f"VERDICTS_DIGEST_SCHEDULE has no such time: {value!r}")
    return {"day_of_week": str(weekday), "hour": str(hour), "minute": str(minute)}


@db_task(retries=3, retry_delay=60)
def confirmation_send_task(subscriber_id: int, nonce: str) -> bool:
    return subscriptions.confirmation_send(subscriber_id=subscriber_id, nonce=nonce)


# The retry waits out the claim of a message that may have been lost with the failed attempt.
@db_task(retries=6, retry_delay=settings.VERDICTS_DIGEST_LEASE_SECONDS + 30)
def digest_send_task(number: int) -> bool:
    report = outbox.issue_send(number=number)
    logger.info("Digest #%s: %s sent, %s refused", number, report.sent, report.failed)
    return report.finished


SCHEDULE = weekly_schedule(settings.VERDICTS_DIGEST_SCHEDULE)
if SCHEDULE is not None:

    @db_periodic_task(crontab(**SCHEDULE))
    def digest_weekly_task() -> None:
        outbox.digest_weekly()


@db_periodic_task(crontab(minute="*/10"))
def digest_sweep_task() -> None:
    """Huey forgets a task whose worker dies: pick up sends and confirmations it lost."""
    now = timezone.now()
    for number in selectors.issue_numbers_stalled(now=now):
        digest_send_task(number)
    for subscriber_id, nonce in selectors.confirmations_unsent(now=now):
        confirmation_send_task(subscriber_id, nonce)
