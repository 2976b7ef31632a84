"""Background jobs: rankings are recomputed here and stored, never per request."""

import datetime

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_task, periodic_task

from verdicts.votes.selectors import RECOMPUTE_PENDING_KEY
from verdicts.votes.services.casting import vote_receipts_prune
from verdicts.votes.services.rankings import rankings_recompute

# A burst of votes waits this long and is then counted by one recompute.
RECOMPUTE_DELAY_SECONDS = 60


@periodic_task(crontab(minute=f"*/{settings.VOTES_RANKING_MINUTES}"))
def rankings_refresh() -> int:
    """Refit and store both rankings."""
    # Clearing the mark here means a mark whose job was lost lasts one period at most.
    HUEY.delete(RECOMPUTE_PENDING_KEY)
    return rankings_recompute()


@db_task()
def rankings_refresh_pending() -> int:
    """The recompute a vote asked for; votes cast while it runs ask for the next one."""
    HUEY.delete(RECOMPUTE_PENDING_KEY)
    return rankings_recompute()


def rankings_refresh_request() -> None:
    """Schedule a recompute soon after a vote, unless one is already pending."""
    eta = timezone.now() + datetime.timedelta(seconds=RECOMPUTE_DELAY_SECONDS)
    if HUEY.put_if_empty(RECOMPUTE_PENDING_KEY, eta.isoformat()):
        rankings_refresh_pending.schedule(eta=eta)


@periodic_task(crontab(minute="17"))
def vote_receipts_expire() -> int:
    """Forget old idempotency answers once an hour."""
    return vote_receipts_prune()
