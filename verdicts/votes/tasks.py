"""Periodic jobs: rankings are recomputed here and stored, never per request."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import periodic_task

from verdicts.votes.services import rankings_recompute, vote_receipts_prune


@periodic_task(crontab(minute=f"*/{settings.VOTES_RANKING_MINUTES}"))
def rankings_refresh() -> int:
    """Refit and store both rankings."""
    return rankings_recompute()


@periodic_task(crontab(minute="17"))
def vote_receipts_expire() -> int:
    """Forget old idempotency answers once an hour."""
    return vote_receipts_prune()
