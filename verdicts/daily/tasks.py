"""The daily pipeline's periodic job, at VERDICTS_DAILY_SCHEDULE (UTC), and its resumer."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from verdicts.daily.selectors import daily_run_stale_exists

logger = logging.getLogger(__name__)


def daily_schedule(value: str) -> dict[str, str] | None:
    """Crontab fields for "05:30" (UTC); None for "off"."""
    value = value.strip().lower()
    if value in {"", "off", "none", "never"}:
        return None
    try:
        hour, minute = (int(part) for part in value.split(":"))
    except ValueError as error:
        raise ImproperlyConfigured(
            f'VERDICTS_DAILY_SCHEDULE must look like "05:30" or be "off", got {value!r}'
        ) from error
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ImproperlyConfigured(f"VERDICTS_DAILY_SCHEDULE has no such time: {value!r}")
    return {"hour": str(hour), "minute": str(minute)}


def daily_run_logged() -> None:
    # Imported on first use: the pipeline brings pydantic-ai's agent, which only a run needs.
    from verdicts.daily.pipeline import daily_run_execute

    outcome = daily_run_execute(say=logger.info)
    if outcome.busy is not None:
        logger.info("Daily run %s is under way: not starting another.", outcome.busy.pk)
    else:
        logger.info("Daily run %s finished: %s", outcome.run.pk, outcome.summary)


SCHEDULE = daily_schedule(settings.VERDICTS_DAILY_SCHEDULE)
if SCHEDULE is not None:

    @db_periodic_task(crontab(**SCHEDULE))
    def daily_task() -> None:
        daily_run_logged()

    # Huey forgets a task whose worker dies: a run whose heartbeat stopped is resumed here.
    @db_periodic_task(crontab(minute="*/15"))
    def daily_resume_task() -> None:
        if daily_run_stale_exists():
            daily_run_logged()
