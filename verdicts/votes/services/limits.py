"""How often one voter, and one address, may vote (fixed windows from common/ratelimit, shared
by every worker), and which votes are held out of the shown figures.

A client that drops its cookie is a new anonymous voter on every request, so "one vote per
voter" alone does not stop stuffing. Two checks, made inside the vote's transaction, hold a new
anonymous vote (stored, not counted, visible to editors):

- ballots: the address already has `VOTES_BALLOTS_PER_ADDRESS` counted votes on the target;
- new voters: the voter was first seen after the address had already brought
  `VOTES_NEW_VOTERS_PER_ADDRESS` new anonymous voters in the past day (all its votes are held).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from verdicts.common.ratelimit import rate_hit
from verdicts.votes.identity import Voter
from verdicts.votes.models import AnonymousVoter, HoldReason, VoteStatus
from verdicts.votes.services.errors import RateLimited

NEW_VOTER_WINDOW = timedelta(days=1)


def ballots_per_address() -> int:
    """Counted votes one address may cast on one tool or one comparison."""
    return settings.VOTES_BALLOTS_PER_ADDRESS


def new_voters_per_address() -> int:
    """Anonymous voters one address may bring in a day before their votes are held."""
    return settings.VOTES_NEW_VOTERS_PER_ADDRESS


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


def vote_hold_reason(*, voter: Voter, votes: QuerySet) -> str:
    """Why the voter's new vote among `votes` (the target's) is held; "" when it is counted.

    Call inside the vote's transaction: it records an anonymous voter's first sighting, and
    votes from one address are serialized (SQLite's IMMEDIATE transaction already is; on
    PostgreSQL an advisory lock on the address), so concurrent votes cannot all slip under a cap.
    Signed-in users are always counted.
    """
    if not voter.key.startswith("anon:"):
        return ""
    _address_lock(address_hash=voter.address_hash)
    if _anonymous_voter_held(voter=voter):
        return HoldReason.NEW_VOTERS
    counted = votes.filter(address_hash=voter.address_hash, status=VoteStatus.COUNTED).count()
    return HoldReason.BALLOTS if counted >= ballots_per_address() else ""


def _address_lock(*, address_hash: str) -> None:
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"votes:address:{address_hash}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def _anonymous_voter_held(*, voter: Voter) -> bool:
    """Whether the voter is over its address's new-voter cap, recording it when first seen."""
    seen = AnonymousVoter.objects.filter(voter_key=voter.key).values_list("held", flat=True)
    for held in seen:
        return held
    since = timezone.now() - NEW_VOTER_WINDOW
    recent = AnonymousVoter.objects.filter(address_hash=voter.address_hash, created_at__gte=since)
    held = recent.count() >= new_voters_per_address()
    # A race between two first votes of one voter ends in IntegrityError: retried whole.
    AnonymousVoter.objects.create(voter_key=voter.key, address_hash=voter.address_hash, held=held)
    return held
