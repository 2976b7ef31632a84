"""How often one voter, and one address, may vote: fixed windows from common/ratelimit."""

from django.conf import settings

from verdicts.common.ratelimit import rate_hit
from verdicts.votes.identity import Voter
from verdicts.votes.services.errors import RateLimited


def vote_rate_check(*, voter: Voter) -> None:
    """Count a vote attempt against the voter's and the address's limits; raise when over."""
    window = settings.VOTES_RATE_WINDOW
    waits = [
        rate_hit(bucket=f"voter:{voter.key}", limit=settings.VOTES_RATE_PER_VOTER, window=window),
        rate_hit(
            bucket=f"address:{voter.address_hash}",
            limit=settings.VOTES_RATE_PER_ADDRESS,
            window=window,
        ),
    ]
    if max(waits):
        raise RateLimited("Too many votes; try again shortly.", retry_after=max(waits))
