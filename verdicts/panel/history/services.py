"""Writes of the history: a review's dossier snapshot, and the verdict change it makes.

Both run inside the transaction that writes the review, under the tool row's lock
(review_create's): concurrent reviews of one tool see each other's shares in turn, and a job
that is retried writes its review, and so these rows, once. A held review is recorded when its
hold is settled and it counts (verdicts/panel/services/holds.py).
"""

from django.db import transaction

from verdicts.catalog.models import Tool
from verdicts.panel.dossier import Dossier
from verdicts.panel.history.boundary import panel_side
from verdicts.panel.history.snapshot import dossier_snapshot, snapshot_digest
from verdicts.panel.models import (
    COUNTED_HOLDS,
    Review,
    ReviewSnapshot,
    Verdict,
    VerdictChange,
)


def review_history_record(*, review: Review, dossier: Dossier | None) -> VerdictChange | None:
    """Keep what the dossier held when the panel wrote `review`, then record the change the
    review makes, if any."""
    if dossier is not None:
        facts = dossier_snapshot(dossier)
        ReviewSnapshot.objects.get_or_create(
            review=review, defaults={"digest": snapshot_digest(facts), "facts": facts}
        )
    return verdict_change_record(review=review)


@transaction.atomic
def verdict_change_record(*, review: Review) -> VerdictChange | None:
    """Record `review` as a verdict change when it flips its persona's last counted verdict or
    moves the tool's panel share across one half. None when it does neither, or while it is
    held (an answer held for steering text is not a verdict yet; call again once it counts).
    Recording the same review twice returns the first record."""
    if review.hold not in COUNTED_HOLDS or not review.is_current:
        return None
    # The lock review_create takes (again, at no cost, when called from it): a hold settled
    # while another review of the tool is written sees that review's share, or it waits.
    Tool.objects.select_for_update().filter(pk=review.tool_id).exists()
    earlier = Review.objects.filter(
        tool_id=review.tool_id, persona_id=review.persona_id, pk__lt=review.pk
    ).order_by("-pk")
    superseded = earlier.first()
    previous = earlier.filter(hold__in=COUNTED_HOLDS).first()
    verdicts = dict(
        Review.objects.current()
        .counted()
        .filter(tool_id=review.tool_id, persona__is_active=True)
        .values_list("persona_id", "verdict")
    )
    after = list(verdicts.values())
    verdicts.pop(review.persona_id, None)
    if superseded is not None and superseded.hold in COUNTED_HOLDS:
        verdicts[review.persona_id] = superseded.verdict
    before = list(verdicts.values())
    ships_before, ships_after = before.count(Verdict.SHIP), after.count(Verdict.SHIP)
    side_before = panel_side(ships=ships_before, total=len(before))
    side_after = panel_side(ships=ships_after, total=len(after))
    flipped = previous is not None and previous.verdict != review.verdict
    crossed = bool(side_before) and side_before != side_after
    if not (flipped or crossed):
        return None
    change, _ = VerdictChange.objects.get_or_create(
        review=review,
        defaults={
            "previous": previous,
            "tool_id": review.tool_id,
            "persona_id": review.persona_id,
            "verdict_before": previous.verdict if previous else "",
            "verdict_after": review.verdict,
            "ships_before": ships_before,
            "total_before": len(before),
            "ships_after": ships_after,
            "total_after": len(after),
        },
    )
    return change
