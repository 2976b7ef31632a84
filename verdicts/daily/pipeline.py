"""The daily pipeline: each step in order, resumable, none stopping the ones after it.

sources -> verification -> embeddings -> rivals -> panel -> head-to-head -> publish. A step's
exception is recorded as an error of the run and the next step starts; only a lost lease
(another process resumed this run: LeaseLost) stops it. The summary is built from the run's
items at the end.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from verdicts.daily.models import DailyRun
from verdicts.daily.runs import (
    DailyContext,
    daily_run_finish,
    daily_run_start,
    daily_run_step_set,
    heartbeat_kept,
)
from verdicts.daily.selectors import daily_summary_build
from verdicts.daily.steps import STEP
from verdicts.daily.steps.intake import logos_step, sources_step, verification_step
from verdicts.daily.steps.panel import head_to_head_step, panel_step
from verdicts.daily.steps.publish import publish_step
from verdicts.daily.steps.rivals import embeddings_step, rivals_step

logger = logging.getLogger(__name__)

STEPS: tuple[tuple[str, Callable[[DailyContext], None]], ...] = (
    ("sources", sources_step),
    ("verification", verification_step),
    ("logos", logos_step),
    ("embeddings", embeddings_step),
    ("rivals", rivals_step),
    ("panel", panel_step),
    ("head-to-head", head_to_head_step),
    ("publish", publish_step),
)


@dataclass(frozen=True)
class DailyOutcome:
    """A finished run and its summary, or the run already under way (`busy`)."""

    run: DailyRun | None
    summary: dict
    resumed: bool = False
    busy: DailyRun | None = None


def daily_run_execute(
    *, publish_mode: str = "", say: Callable[[str], None] = lambda line: None
) -> DailyOutcome:
    """Run the pipeline, or resume the run a killed process left; never two at once."""
    start = daily_run_start(publish_mode=publish_mode or settings.VERDICTS_DAILY_PUBLISH, say=say)
    context = start.context
    if context is None:
        return DailyOutcome(run=None, summary={}, busy=start.busy)
    if start.resumed:
        say(f"Resuming daily run {context.run.pk}, stopped at step {context.run.step or '?'}.")
    with heartbeat_kept(context=context):
        for name, step in STEPS:
            if context.is_done(STEP, name):
                continue
            daily_run_step_set(context=context, step=name)
            try:
                step(context)
            except Exception as error:
                logger.exception("daily run %s: step %s failed", context.run.pk, name)
                context.error(name, "step", error)
            context.record(STEP, name, data={})
        summary = daily_summary_build(run=context.run)
        run = daily_run_finish(context=context, summary=summary)
    return DailyOutcome(run=run, summary=summary, resumed=start.resumed)
