"""The last step: publish each drafted comparison whose head-to-head completed, with its new
tool, when VERDICTS_DAILY_PUBLISH is "auto"; otherwise it waits in the editors' review queue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.catalog.services import tool_publish
from verdicts.common.content_versions import CATALOG, content_changed
from verdicts.daily.runs import DailyContext
from verdicts.daily.selectors import daily_comparison_ids_drafted, daily_comparison_slugs_judged
from verdicts.daily.steps import PUBLISH
from verdicts.ingest.pipeline import validation_reason
from verdicts.ingest.review import is_placeholder_category


def comparisons_ready() -> list[Comparison]:
    """Drafted comparisons, still unpublished, whose head-to-head panel run is done."""
    return list(
        Comparison.objects.filter(
            pk__in=daily_comparison_ids_drafted(),
            published_at__isnull=True,
            slug__in=daily_comparison_slugs_judged(),
        )
        .select_related("tool_a__category", "tool_b__category")
        .order_by("pk")
    )


def comparison_release(*, comparison: Comparison, mode: str) -> dict:
    """Publish a comparison and its draft tools, all or nothing; what happened, and why not."""
    if mode != "auto":
        return {"published": False, "note": "waits in the review queue (VERDICTS_DAILY_PUBLISH)"}
    drafts = [tool for tool in comparison.tools if not tool.is_published]
    for tool in drafts:
        if is_placeholder_category(tool):
            return {
                "published": False,
                "note": f"{tool.slug} has no category yet: it waits in the review queue",
            }
    try:
        with transaction.atomic():
            for tool in drafts:
                tool_publish(tool=tool)
            Comparison.objects.filter(pk=comparison.pk, published_at__isnull=True).update(
                published_at=timezone.now()
            )
            content_changed(CATALOG)
    except ValidationError as error:
        return {
            "published": False,
            "note": f"a tool fails the catalog's checks ({validation_reason(error)}): it waits "
            "in the review queue",
        }
    return {"published": True, "tools": [tool.slug for tool in drafts], "note": "published"}


def publish_step(context: DailyContext) -> None:
    for comparison in comparisons_ready():
        if context.is_done(PUBLISH, comparison.slug):
            continue
        try:
            with transaction.atomic():
                data = comparison_release(comparison=comparison, mode=context.publish_mode)
                context.record(PUBLISH, comparison.slug, data=data)
        except Exception as error:
            context.error(PUBLISH, comparison.slug, error)
            continue
        context.say(f"publish {comparison.slug}: {data['note']}")
