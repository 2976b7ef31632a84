"""Editorial writes: personas and their charters, and reviews (by editors or by the panel)."""

import datetime

from django.db import transaction

from verdicts.catalog.models import Tool
from verdicts.panel.models import EDITORIAL_AUTHOR, PanelRun, Persona, Review


@transaction.atomic
def persona_create(
    *,
    slug: str,
    name: str,
    lens: str,
    motto: str = "",
    thinks: str = "",
    excited_by: str = "",
    tired_of: str = "",
    never_says: list[str] | None = None,
    questions: list[str] | None = None,
    position: int = 0,
    is_active: bool = True,
) -> Persona:
    """Create a persona of the panel."""
    persona = Persona(
        slug=slug,
        name=name,
        lens=lens,
        motto=motto,
        thinks=thinks,
        excited_by=excited_by,
        tired_of=tired_of,
        never_says=never_says or [],
        questions=questions or [],
        position=position,
        is_active=is_active,
    )
    persona.full_clean()
    persona.save()
    return persona


CHARTER_FIELDS = (
    "name",
    "lens",
    "motto",
    "thinks",
    "excited_by",
    "tired_of",
    "never_says",
    "questions",
    "position",
)


@transaction.atomic
def persona_charter_update(*, persona: Persona, charter: dict) -> bool:
    """Give a persona a new charter; True when anything changed (and so its prompt version)."""
    persona = Persona.objects.select_for_update().get(pk=persona.pk)
    changed = [field for field in CHARTER_FIELDS if getattr(persona, field) != charter[field]]
    for field in changed:
        setattr(persona, field, charter[field])
    if changed:
        persona.full_clean()
        persona.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


@transaction.atomic
def review_create(
    *,
    tool: Tool,
    persona: Persona,
    verdict: str,
    body: str,
    confidence: float | None = None,
    author: str = EDITORIAL_AUTHOR,
    model_id: str = "",
    prompt_version: str = "",
    lens_fields: dict | None = None,
    evidence: list | None = None,
    run: PanelRun | None = None,
    flags: list | None = None,
    written_at: datetime.datetime | None = None,
    hold: str = "",
    hold_reason: str = "",
) -> Review:
    """Record a review; it supersedes the current review of the same tool and persona.

    `written_at` dates an editorial review by the day it was written, not the day it was loaded.
    A `hold` keeps it out of every share until its counterfactual or an editor decides.
    """
    review = Review(
        tool=tool,
        persona=persona,
        verdict=verdict,
        body=body.strip(),
        confidence=confidence,
        author=author,
        model_id=model_id,
        prompt_version=prompt_version,
        lens_fields=lens_fields or {},
        evidence=evidence or [],
        run=run,
        flags=flags or [],
        hold=hold,
        hold_reason=hold_reason,
        is_current=True,
    )
    # Locking the tool row serialises concurrent writers for this tool, so exactly one
    # review ends up current; a validation error rolls the supersession back.
    Tool.objects.select_for_update().filter(pk=tool.pk).exists()
    Review.objects.filter(tool=tool, persona=persona, is_current=True).update(is_current=False)
    # Field checks only: the related rows are in hand, and the database enforces the
    # constraints; validating them here would cost five queries inside the lock.
    review.full_clean(exclude=["tool", "persona", "run"], validate_constraints=False)
    review.save()
    if written_at is not None:
        # created_at is set on insert, whatever the instance says.
        Review.objects.filter(pk=review.pk).update(created_at=written_at)
        review.created_at = written_at
    return review
