"""An editor's request that the panel review two tools as a pair."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.services import comparison_create
from verdicts.panel.models import PanelRun
from verdicts.panel.services.runs import panel_run_create


@dataclass(frozen=True)
class PairQueued:
    """The pair's comparison (a draft until an editor publishes it) and its panel run."""

    comparison: Comparison
    run: PanelRun
    comparison_created: bool
    run_created: bool  # False: the same run was already queued, and stands

    @property
    def already_queued(self) -> bool:
        return not self.run_created


def pair_comparison(*, tool_a: Tool, tool_b: Tool) -> Comparison | None:
    """The comparison of the two tools in either order, published or not."""
    return (
        Comparison.objects.filter(tool_a__in=[tool_a, tool_b], tool_b__in=[tool_a, tool_b])
        .select_related("tool_a", "tool_b")
        .first()
    )


@transaction.atomic
def pair_panel_queue(*, tool_a: Tool, tool_b: Tool, requested_by: str) -> PairQueued:
    """Draft the pair's comparison unless one exists, then queue the panel on both tools with
    the head-to-head. Asked twice, it answers with the comparison and run already queued."""
    if tool_a.pk == tool_b.pk:
        raise ValidationError("A pair needs two different tools.")
    comparison = pair_comparison(tool_a=tool_a, tool_b=tool_b)
    created = comparison is None
    if comparison is None:
        try:
            with transaction.atomic():
                comparison = comparison_create(tool_a=tool_a, tool_b=tool_b)
        except (IntegrityError, ValidationError):
            # Another editor drafted the pair a moment ago: that draft stands.
            comparison = pair_comparison(tool_a=tool_a, tool_b=tool_b)
            if comparison is None:
                raise
            created = False
    run, run_created = panel_run_create(
        tools=list(comparison.tools), requested_by=requested_by, head_to_head=True
    )
    return PairQueued(
        comparison=comparison, run=run, comparison_created=created, run_created=run_created
    )
