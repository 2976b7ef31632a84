"""Background jobs: rankings are recomputed here and stored, never per request."""

import datetime
import threading

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


# Leeway for the consumer's clock running ahead of this process's.
CLOCK_LEEWAY = datetime.timedelta(seconds=5)
# The start of the pending recompute this process last scheduled or found; it will count
# every vote committed before then.
_pending_eta = threading.local()


def rankings_refresh_request() -> None:
    """Schedule a recompute soon after a vote, unless one is already pending.

    Asked once a vote has committed. A pending recompute that this process already knows of,
    and that starts later, will count the vote: then Huey is not asked again (a write of its
    own each vote, on SQLite a lock on its file that every worker waits for).
    """
    now = timezone.now()
    known = getattr(_pending_eta, "at", None)
    if known is not None and now < known - CLOCK_LEEWAY:
        return
    eta = now + datetime.timedelta(seconds=RECOMPUTE_DELAY_SECONDS)
    if HUEY.put_if_empty(RECOMPUTE_PENDING_KEY, eta.isoformat()):
        rankings_refresh_pending.schedule(eta=eta)
        _pending_eta.at = eta
        return
    pending = HUEY.get(RECOMPUTE_PENDING_KEY, peek=True)
    # A mark past its time belongs to a late or lost job (the periodic refit clears it): it
    # is asked about again shortly, not on every vote.
    retry = now + 2 * CLOCK_LEEWAY
    _pending_eta.at = max(datetime.datetime.fromisoformat(pending), retry) if pending else None


@periodic_task(crontab(minute="17"))
def vote_receipts_expire() -> int:
    """Forget old idempotency answers once an hour."""
    return vote_receipts_prune()
