"""The panel steps: reviews of new and materially changed tools, then the head-to-head of each
comparison the rivals step drafted. Each panel run is tied to its item before a call is made, so
a resumed run finishes that panel run instead of starting another one."""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery

from verdicts.catalog.models import Comparison, Tool
from verdicts.daily.models import ItemStatus
from verdicts.daily.runs import DailyContext
from verdicts.daily.selectors import daily_comparison_ids_drafted, daily_comparison_slugs_judged
from verdicts.daily.steps import BUDGET, HEAD_TO_HEAD, PANEL
from verdicts.ingest.models import ToolFactChange, ToolFactSource
from verdicts.panel.models import PanelRun, Review, RunStatus
from verdicts.panel.selectors import spend_this_month
from verdicts.panel.services.config import PanelConfigError, PanelSettings
from verdicts.panel.services.jobs import panel_jobs_sweep, panel_run_execute_local
from verdicts.panel.services.runs import panel_run_create, panel_run_requeue

# Facts whose change makes a tool's reviews stale: what it costs, may be used for, holds, runs.
MATERIAL_FACTS = frozenset({"licence", "price_hint", "pricing", "context_window", "availability"})


class BudgetReached(Exception):
    """The run stopped calling models for the monthly budget; the rest waits for tomorrow."""


def budget_check(*, context: DailyContext) -> None:
    """BudgetReached when this run already stopped on the budget, or the month's is spent."""
    if context.is_done(BUDGET, "stopped"):
        raise BudgetReached
    config = PanelSettings.load()
    spent = spend_this_month()
    if spent >= config.monthly_budget:
        budget_stop_record(
            context=context,
            note=f"The monthly budget of ${config.monthly_budget} is spent (${spent}).",
        )
        raise BudgetReached


def budget_stop_record(*, context: DailyContext, note: str) -> None:
    note = f"{note} No more models are called today; the rest waits for the next run."
    context.record(BUDGET, "stopped", data={"note": note})
    context.say(note)


def panel_run_through(
    *, context: DailyContext, step: str, key: str, tools: list[Tool], head_to_head: bool
) -> PanelRun:
    """Queue the panel run of an item (once) and do its calls here; its status at the end."""
    item = context.item(step, key)
    if item is not None and item.data.get("panel_run"):
        run = PanelRun.objects.get(pk=item.data["panel_run"])
        if not run.is_finished:
            # Resumed after a kill: take back the calls the dead process left running.
            panel_jobs_sweep()
            panel_run_requeue(run_id=run.pk)
    else:
        with transaction.atomic():
            run, _ = panel_run_create(
                tools=tools, head_to_head=head_to_head, requested_by=f"daily run {context.run.pk}"
            )
            context.record(
                step,
                key,
                data={"panel_run": run.pk, "tools": [tool.slug for tool in tools]},
                status=ItemStatus.STARTED,
            )
    panel_run_execute_local(run_id=run.pk, concurrency=settings.VERDICTS_PANEL_CONCURRENCY)
    run.refresh_from_db()
    data = {"panel_run": run.pk, "tools": [tool.slug for tool in tools], "status": run.status}
    finished = run.is_finished and run.status != RunStatus.STOPPED
    context.record(step, key, data=data, status=ItemStatus.DONE if finished else ItemStatus.STARTED)
    context.say(f"{step} {key}: panel run {run.pk} {run.get_status_display().lower()}")
    if run.status == RunStatus.STOPPED:
        budget_stop_record(context=context, note=f"Panel run {run.pk} reached the monthly budget.")
        raise BudgetReached
    return run


def comparisons_awaiting_panel() -> list[Comparison]:
    """Drafted comparisons, still unpublished, whose head-to-head has not completed yet."""
    return list(
        Comparison.objects.filter(pk__in=daily_comparison_ids_drafted(), published_at__isnull=True)
        .exclude(slug__in=daily_comparison_slugs_judged())
        .select_related("tool_a", "tool_b")
        .order_by("pk")
    )


def tools_needing_review() -> list[Tool]:
    """Imported tools never reviewed, and tools whose material facts changed since their
    latest review."""
    reviewed = Review.objects.filter(tool=OuterRef("pk"), is_current=True).order_by("-created_at")
    changed = ToolFactChange.objects.filter(tool=OuterRef("pk"), fact__in=MATERIAL_FACTS)
    return list(
        Tool.objects.annotate(
            reviewed_at=Subquery(reviewed.values("created_at")[:1]),
            imported=Exists(ToolFactSource.objects.filter(tool=OuterRef("pk"))),
        )
        .filter(
            Q(reviewed_at__isnull=True, imported=True)
            | Exists(changed.filter(read_at__gt=OuterRef("reviewed_at")))
        )
        .order_by("pk")
    )


def panel_step(context: DailyContext) -> None:
    """Review each tool that needs it; a tool in a new comparison is reviewed by its
    head-to-head run instead, so it is not asked about twice."""
    in_comparisons = {tool.pk for c in comparisons_awaiting_panel() for tool in c.tools}
    for tool in tools_needing_review():
        if tool.pk in in_comparisons or context.is_done(PANEL, tool.slug):
            continue
        try:
            budget_check(context=context)
            panel_run_through(
                context=context, step=PANEL, key=tool.slug, tools=[tool], head_to_head=False
            )
        except BudgetReached:
            return
        except PanelConfigError as error:
            context.error(PANEL, "config", error)
            return
        except Exception as error:
            context.error(PANEL, tool.slug, error)


def head_to_head_step(context: DailyContext) -> None:
    """Ask the panel about each drafted comparison: both reviews and each persona's pick."""
    for comparison in comparisons_awaiting_panel():
        if context.is_done(HEAD_TO_HEAD, comparison.slug):
            continue
        try:
            budget_check(context=context)
            panel_run_through(
                context=context,
                step=HEAD_TO_HEAD,
                key=comparison.slug,
                tools=[comparison.tool_a, comparison.tool_b],
                head_to_head=True,
            )
        except BudgetReached:
            return
        except PanelConfigError as error:
            context.error(HEAD_TO_HEAD, "config", error)
            return
        except Exception as error:
            context.error(HEAD_TO_HEAD, comparison.slug, error)
