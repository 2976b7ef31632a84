"""Reads of the daily pipeline: its runs, the comparisons it drafted, and a run's summary."""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from verdicts.daily.models import DailyItem, DailyRun, DailyStatus, ItemStatus
from verdicts.daily.runs import lease
from verdicts.daily.steps import (
    BUDGET,
    EMBEDDINGS,
    HEAD_TO_HEAD,
    PANEL,
    PUBLISH,
    RIVALS,
    SOURCES,
    TOUCHED,
    VERIFICATION,
)
from verdicts.panel.models import LlmCall, Review, RunStatus


def daily_run_list(*, limit: int = 10) -> QuerySet[DailyRun]:
    """The latest runs, newest first."""
    return DailyRun.objects.order_by("-started_at", "-pk")[:limit]


def daily_comparison_ids_drafted() -> list[int]:
    """Every comparison a daily run drafted."""
    found = DailyItem.objects.filter(step=RIVALS, status=ItemStatus.DONE)
    return [
        data["comparison_id"]
        for data in found.values_list("data", flat=True)
        if data.get("comparison_id")
    ]


def daily_comparison_slugs_judged() -> list[str]:
    """The drafted comparisons whose head-to-head panel run completed, in any run."""
    done = DailyItem.objects.filter(step=HEAD_TO_HEAD, data__status=RunStatus.DONE)
    return list(done.values_list("key", flat=True))


def daily_summary_build(*, run: DailyRun) -> dict:
    """What a run did, from its items: it holds however many lives the run had."""
    items = list(run.items.order_by("pk"))
    by_step: dict[str, list[DailyItem]] = {}
    for item in items:
        by_step.setdefault(item.step, []).append(item)
    done = [item for item in items if item.status == ItemStatus.DONE]
    source_counts: Counter[str] = Counter()
    for item in by_step.get(SOURCES, []):
        source_counts.update(item.data.get("counts", {}))
    touched = Counter(item.data.get("kind") for item in by_step.get(TOUCHED, []))
    checked: Counter[str] = Counter()
    for item in by_step.get(VERIFICATION, []):
        checked.update(item.data.get("counts", {}))
    panel_runs = [
        item.data["panel_run"]
        for item in by_step.get(PANEL, []) + by_step.get(HEAD_TO_HEAD, [])
        if item.data.get("panel_run")
    ]
    spend = LlmCall.objects.filter(job__run_id__in=panel_runs).aggregate(total=Sum("cost_usd"))
    embeddings = next((i.data for i in by_step.get(EMBEDDINGS, []) if i.status == "done"), None)
    published = [i for i in by_step.get(PUBLISH, []) if i.data.get("published")]
    return {
        "run": run.pk,
        "publish_mode": run.publish_mode,
        "sources": [
            {"target": i.key, "summary": i.data.get("summary", i.data.get("error", ""))}
            for i in by_step.get(SOURCES, [])
        ],
        "tools": {
            "created": touched["created"],
            "updated": touched["updated"],
            "unchanged": source_counts["unchanged"],
            "refused": source_counts["refused"],
        },
        "verification": {
            "verified": checked["verified"],
            "unverified": checked["unverified"],
            "not_checked": checked["refused"],
        },
        "embeddings": embeddings,
        "rivals": [
            {"tool": i.key, "note": i.data["note"]}
            for i in by_step.get(RIVALS, [])
            if "note" in i.data
        ],
        "reviews": {
            "panel_runs": len(panel_runs),
            "written": Review.objects.filter(run_id__in=panel_runs).count(),
            "spend_usd": str((spend["total"] or Decimal(0)).quantize(Decimal("0.0001"))),
        },
        "comparisons": {
            "drafted": [
                i.data["comparison"] for i in by_step.get(RIVALS, []) if i.data.get("comparison")
            ],
            "published": [i.key for i in published],
            "waiting": [
                f"{i.key}: {i.data['note']}"
                for i in by_step.get(PUBLISH, [])
                if not i.data.get("published") and "note" in i.data
            ],
        },
        "notes": [i.data["note"] for i in done if i.step == BUDGET],
        "errors": [
            f"{i.step} {i.key}: {i.data.get('error', '')}"
            for i in items
            if i.status == ItemStatus.ERROR
        ],
    }


def daily_summary_lines(*, summary: dict) -> list[str]:
    """The summary as the command prints it."""
    tools, checked, reviews = summary["tools"], summary["verification"], summary["reviews"]
    comparisons = summary["comparisons"]
    lines = [f"Sources: {len(summary['sources'])} run"]
    lines += [f"  {source['target']}: {source['summary']}" for source in summary["sources"]]
    lines.append(
        f"Tools: {tools['created']} created, {tools['updated']} updated, "
        f"{tools['unchanged']} unchanged, {tools['refused']} refused"
    )
    lines.append(
        f"Verification: {checked['verified']} verified, {checked['unverified']} unverified, "
        f"{checked['not_checked']} not checked"
    )
    embeddings = summary["embeddings"]
    if embeddings is not None:
        lines.append(
            f"Embeddings: {embeddings['embedded']} embedded, {embeddings['unchanged']} unchanged"
        )
    lines += [f"  rival for {rival['tool']}: {rival['note']}" for rival in summary["rivals"]]
    lines.append(
        f"Reviews: {reviews['written']} written in {reviews['panel_runs']} panel run(s), "
        f"${reviews['spend_usd']} spent"
    )
    lines.append(
        f"Comparisons: {len(comparisons['drafted'])} drafted"
        + (f" ({', '.join(comparisons['drafted'])})" if comparisons["drafted"] else "")
        + f", {len(comparisons['published'])} published"
        + (f" ({', '.join(comparisons['published'])})" if comparisons["published"] else "")
    )
    lines += [f"  waiting: {line}" for line in comparisons["waiting"]]
    lines += [f"Note: {note}" for note in summary["notes"]]
    lines.append(f"Errors: {len(summary['errors'])}")
    lines += [f"  {error}" for error in summary["errors"]]
    return lines


def daily_run_stale_exists(*, now: datetime.datetime | None = None) -> bool:
    """Whether a run's process died: it is still running but its heartbeat stopped."""
    stale = (now or timezone.now()) - lease()
    return DailyRun.objects.filter(status=DailyStatus.RUNNING, heartbeat_at__lt=stale).exists()
