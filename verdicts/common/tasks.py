"""Background jobs of the ground floor."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from verdicts.common.ratelimit import rate_counters_prune


@db_periodic_task(crontab(minute="*/10"))
def rate_counters_expire() -> int:
    """Clear the rate-limit counters of ended windows, so the table stays the size of a window."""
    return rate_counters_prune()
