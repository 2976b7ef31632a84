"""Entry tiers and plan kinds: how a tool is paid for, before any price."""

from django.db import models


class EntryTier(models.TextChoices):
    """The cheapest way in, in the reference page's words."""

    FREE = "free", "Free"
    FREEMIUM = "freemium", "Freemium"
    PAID = "paid", "Paid"


class PlanKind(models.TextChoices):
    FREE = "free", "Free"
    PER_SEAT = "per_seat", "Per seat"
    USAGE = "usage", "Usage-based"
    TIERED = "tiered", "Tiered subscription"
    CONTACT = "contact", "Contact sales"
    SELF_HOSTED = "self_hosted", "Self-hosted"


FREE_PLAN_KINDS = frozenset({PlanKind.FREE, PlanKind.SELF_HOSTED})


def entry_tier_from_plan_kinds(kinds: list[str]) -> str:
    """Free when every way in costs nothing, Paid when none does, Freemium in between."""
    if not kinds:
        return ""
    free = [kind in FREE_PLAN_KINDS for kind in kinds]
    if all(free):
        return EntryTier.FREE
    if any(free):
        return EntryTier.FREEMIUM
    return EntryTier.PAID
