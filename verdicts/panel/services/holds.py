"""Held answers: proving steering text did not matter (issue #17).

When a tool's material carried steering flags, each review and head-to-head pick of it is
asked once more with every vendor-written passage left out: a counterfactual job of its own,
queued in the same transaction that stores the original's answer, so claims, retries, the
budget, the cost and the sweeper treat it as any job, and it exists exactly once (one-to-one).
Until it answers, the original is held; when the two differ the original stays held as
swayed, out of every share and pick, until an editor accepts or drops it.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from verdicts.common.content_versions import CATALOG, content_changed
from verdicts.panel.history.services import verdict_change_record
from verdicts.panel.models import Hold, JobKind, JobStatus, PanelJob, Review
from verdicts.panel.steering.models import SteeringFlag

PENDING_REASON = "held: the answer is being asked again without the vendor's text"
BUDGET_SPENT = "held: counterfactual not asked, budget spent"
NO_ANSWER = "held: counterfactual gave no answer"
SWAYED_VERDICT = "swayed: {verdict} with the vendor's text, {counterfactual} without it"
SWAYED_PICK = "swayed: picked {pick} with the vendor's text, {counterfactual} without it"
EDITOR_REASONS = {
    Hold.ACCEPTED: "accepted by an editor ({reason})",
    Hold.DROPPED: "dropped by an editor ({reason})",
}


def job_is_steered(job: PanelJob) -> bool:
    """Whether the material of any tool the job judged carried steering flags."""
    tool_ids = [job.tool_id] + ([job.other_tool_id] if job.other_tool_id else [])
    return SteeringFlag.objects.filter(tool_id__in=tool_ids).exists()


def counterfactual_queue(*, job: PanelJob) -> PanelJob:
    """Queue the original job's counterfactual; called inside the original's finishing
    transaction, whose answer is stored held (the one-to-one key makes a second impossible)."""
    counterfactual = PanelJob(
        run_id=job.run_id,
        kind=job.kind,
        persona_id=job.persona_id,
        tool_id=job.tool_id,
        other_tool_id=job.other_tool_id,
        model_id=job.model_id,
        counterfactual_of=job,
    )
    counterfactual.save()
    PanelJob.objects.filter(pk=job.pk).update(hold=Hold.PENDING, hold_reason=PENDING_REASON)
    return counterfactual


def job_review(job: PanelJob) -> QuerySet[Review]:
    """The review an original review job wrote (a run writes one a persona and tool)."""
    return Review.objects.filter(run_id=job.run_id, persona_id=job.persona_id, tool_id=job.tool_id)


def hold_decide(original: PanelJob, counterfactual: PanelJob, review: Review | None) -> tuple:
    """(hold, reason, counterfactual verdict) once the counterfactual is finished."""
    if counterfactual.status == JobStatus.SKIPPED:
        return Hold.UNASKED, BUDGET_SPENT, ""
    if counterfactual.status != JobStatus.DONE:
        return Hold.UNASKED, f"{NO_ANSWER}: {counterfactual.error}"[:300], ""
    answer = counterfactual.answer
    if original.kind == JobKind.HEAD_TO_HEAD:
        if answer.get("pick_tool_id") == original.answer.get("pick_tool_id"):
            return Hold.NONE, "", ""
        reason = SWAYED_PICK.format(
            pick=original.answer.get("pick_tool"), counterfactual=answer.get("pick_tool")
        )
        return Hold.SWAYED, reason, ""
    verdict = answer.get("verdict", "")
    if review is None or review.verdict == verdict:
        return Hold.NONE, "", verdict
    return (
        Hold.SWAYED,
        SWAYED_VERDICT.format(verdict=review.verdict, counterfactual=verdict),
        verdict,
    )


@transaction.atomic
def counterfactual_settle(*, job_id: int) -> str | None:
    """Set the hold of a finished counterfactual's original; the hold it set, or None when
    there was nothing to settle (not finished yet, or settled already: a retry is harmless)."""
    counterfactual = PanelJob.objects.filter(pk=job_id, counterfactual_of__isnull=False).first()
    if counterfactual is None or not counterfactual.is_finished:
        return None
    # The original's row is the lock: two settlers of one pair cannot both see it pending.
    # Its row only, without the model's ordering: that joins the persona and the tool, and FOR
    # UPDATE then locked them too. A review being written holds the tool (review_create) and
    # checks its persona key at commit, which that lock blocks while the settler waits for the
    # tool: PostgreSQL aborted one of the two as a deadlock, and the answer stayed pending with
    # its counterfactual done (the #17 flake).
    original = (
        PanelJob.objects.select_for_update(of=("self",))
        .filter(pk=counterfactual.counterfactual_of_id, hold=Hold.PENDING)
        .order_by("pk")
        .first()
    )
    if original is None:
        return None
    review = job_review(original).first() if original.kind == JobKind.REVIEW else None
    hold, reason, verdict = hold_decide(original, counterfactual, review)
    PanelJob.objects.filter(pk=original.pk).update(hold=hold, hold_reason=reason)
    if review is not None and Review.objects.filter(pk=review.pk, hold=Hold.PENDING).update(
        hold=hold, hold_reason=reason, counterfactual_verdict=verdict
    ):
        review.hold = hold
        # Counted from now on: a flip or a crossing is a verdict change now.
        verdict_change_record(review=review)
    # Counted now, or held for a reason the pages give: they are drawn again.
    content_changed(CATALOG)
    return hold


def held_answers_settle(*, run_id: int) -> int:
    """Settle every pending answer of a run whose counterfactual has finished, however it
    finished (a budget stop skips queued counterfactuals without running them)."""
    finished = PanelJob.objects.filter(
        run_id=run_id,
        counterfactual_of__hold=Hold.PENDING,
        status__in=(JobStatus.DONE, JobStatus.FAILED, JobStatus.SKIPPED),
    )
    return sum(
        counterfactual_settle(job_id=job_id) is not None
        for job_id in finished.values_list("pk", flat=True)
    )


@transaction.atomic
def held_answers_decide(*, job_ids: Iterable[int], hold: str) -> int:
    """An editor's decision on held answers: accepted ones count, dropped ones never do.
    Only answers that were held change; returns how many did."""
    if hold not in EDITOR_REASONS:
        raise ValueError(f"An editor accepts or drops a held answer, not {hold!r}.")
    # The jobs' rows only, in pk order (see counterfactual_settle).
    jobs = list(
        PanelJob.objects.select_for_update(of=("self",))
        .filter(pk__in=list(job_ids), counterfactual_of__isnull=True)
        .exclude(hold__in=(Hold.NONE, hold))
        .order_by("pk")
    )
    for job in jobs:
        reason = EDITOR_REASONS[hold].format(reason=job.hold_reason or job.get_hold_display())
        reason = reason[:300]
        PanelJob.objects.filter(pk=job.pk).update(hold=hold, hold_reason=reason)
        if job.kind == JobKind.REVIEW:
            job_review(job).exclude(hold=Hold.NONE).update(hold=hold, hold_reason=reason)
            for review in job_review(job):
                verdict_change_record(review=review)
    if jobs:
        content_changed(CATALOG)
    return len(jobs)


def held_reviews_decide(*, review_ids: Iterable[int], hold: str) -> int:
    """The same decision, named by reviews (the review admin's actions)."""
    reviews = Review.objects.filter(pk__in=list(review_ids), run__isnull=False)
    keys = list(reviews.values_list("run_id", "persona_id", "tool_id"))
    job_ids = [
        job_id
        for run_id, persona_id, tool_id in keys
        for job_id in PanelJob.objects.filter(
            run_id=run_id,
            persona_id=persona_id,
            tool_id=tool_id,
            kind=JobKind.REVIEW,
            counterfactual_of__isnull=True,
        ).values_list("pk", flat=True)
    ]
    return held_answers_decide(job_ids=job_ids, hold=hold)
