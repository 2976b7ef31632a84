"""The panel share's published boundary: one half. A tool's panel is on the ship side when
more than half of its counted reviews say ship, split at exactly half, on the skip side below;
a re-review that moves it from one side to another is a verdict change (docs/panel.md)."""

from django.db import models


class PanelSide(models.TextChoices):
    SHIP = "ship", "more than half say ship"
    SPLIT = "split", "split, half say ship"
    SKIP = "skip", "fewer than half say ship"


def panel_side(*, ships: int, total: int) -> str:
    """The side of one half a share is on; "" with no reviews."""
    if not total:
        return ""
    if 2 * ships > total:
        return PanelSide.SHIP
    return PanelSide.SPLIT if 2 * ships == total else PanelSide.SKIP


def panel_side_words(side: str) -> str:
    return PanelSide(side).label if side else "no reviews"
