"""Editors' review of held and stuffed votes: void them, or count them after all, by address
and target. The tallies follow in the same statements (their triggers); the stored rankings
are recomputed at once, and the votes scope and each changed target's scope are stamped."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from verdicts.common.content_versions import (
    VOTES,
    comparison_scope,
    content_changed,
    tool_scope,
)
from verdicts.votes.models import PairVote, ToolVote, VoteStatus
from verdicts.votes.services.errors import VoteError
from verdicts.votes.services.rankings import rankings_recompute

KINDS = {"tool": (ToolVote, "tool_id"), "pair": (PairVote, "comparison_id")}
SCOPES = {ToolVote: ("tool__slug", tool_scope), PairVote: ("comparison__slug", comparison_scope)}


@dataclass(frozen=True)
class ReviewReport:
    """How many votes changed status, and how many ranking rows the recompute stored."""

    changed: int
    ranking_rows: int

    def __str__(self) -> str:
        return f"{self.changed} vote{'' if self.changed == 1 else 's'} changed."


def votes_review_by_address(
    *, address_hash: str, status: str, kind: str = "", target_id: int | None = None
) -> ReviewReport:
    """Set every vote from one address hash (on one tool or comparison when kind and target_id
    are given) to `status`: voided (out of the figures) or counted (a held run let in)."""
    if status not in (VoteStatus.VOIDED, VoteStatus.COUNTED):
        raise VoteError("A review voids votes or counts them.")
    if (kind or target_id is not None) and (kind not in KINDS or target_id is None):
        raise VoteError("A target is a kind (tool or pair) and an id.")
    if not address_hash:
        raise VoteError("Name the address hash whose votes to review.")
    kinds = [kind] if kind else list(KINDS)
    with transaction.atomic():
        changed = 0
        for name in kinds:
            model, field = KINDS[name]
            votes = model.objects.filter(address_hash=address_hash).exclude(status=status)
            if target_id is not None:
                votes = votes.filter(**{field: target_id})
            changed += _status_set(votes=votes, status=status)
    return ReviewReport(changed=changed, ranking_rows=rankings_recompute() if changed else 0)


def votes_review_by_id(
    *, tool_vote_ids: list[int], pair_vote_ids: list[int], status: str
) -> ReviewReport:
    """Set chosen votes to `status` (voided, counted or held), then recompute the rankings."""
    if status not in VoteStatus.values:
        raise VoteError("A vote is counted, held or voided.")
    with transaction.atomic():
        changed = _status_set(
            votes=ToolVote.objects.filter(pk__in=tool_vote_ids).exclude(status=status),
            status=status,
        ) + _status_set(
            votes=PairVote.objects.filter(pk__in=pair_vote_ids).exclude(status=status),
            status=status,
        )
    return ReviewReport(changed=changed, ranking_rows=rankings_recompute() if changed else 0)


def _status_set(*, votes: QuerySet, status: str) -> int:
    """Give the votes `status` and stamp the scopes of the targets they are on."""
    path, scope = SCOPES[votes.model]
    slugs = set(votes.values_list(path, flat=True))
    if slugs:
        content_changed(VOTES, *(scope(slug) for slug in sorted(slugs)))
    return votes.update(status=status)
