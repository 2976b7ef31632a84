"""The editors' review queue: which tools it lists, and the writes its actions make.

A tool is queued while it is a draft with imported facts (fact sources), while an import
changed one of its facts since an editor last marked its changes reviewed, while a registry
said the artifact it names does not exist, or while its vendor material holds text the steering
detector flagged (the panel reads it set aside; the editor decides what to do with the vendor),
or while one of the panel's answers about it is held (verdicts/panel/services/holds.py).
"""

import datetime
import operator
from collections.abc import Iterable
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from verdicts.catalog.models import Tool
from verdicts.catalog.services import tool_publish
from verdicts.ingest.intake import PLACEHOLDER_CATEGORY
from verdicts.ingest.models import QueuedTool, ToolFactChange, ToolFactSource, ToolRegistryCheck
from verdicts.panel.models import QUEUED_HOLDS, HeldAnswer
from verdicts.panel.steering.models import SteeringFlag

# Why a tool is queued: its label in the admin, and the flag `review_queue` annotates for it.
QUEUE_KINDS = {
    "draft": ("New draft", "new_draft"),
    "changed": ("Facts changed", "changed"),
    "unverified": ("Unverified", "unverified"),
    "steering": ("Steering text", "steering"),
    "held": ("Held answers", "held_answers"),
}


def review_queue() -> QuerySet[QueuedTool]:
    """Every queued tool, with the rows that explain why, in a fixed number of queries.

    Each tool carries its QUEUE_KINDS flags and, as lists, `queue_sources` (its fact sources),
    `queue_changes` (its unreviewed changes, oldest first), `queue_checks` (the registry
    checks that found nothing) and `queue_flags` (its steering flags, by source and place).
    """
    unreviewed = ToolFactChange.objects.filter(reviewed_at__isnull=True)
    missing = ToolRegistryCheck.objects.filter(found=False)
    return (
        QueuedTool.objects.annotate(
            new_draft=Q(status=Tool.Status.DRAFT)
            & Exists(ToolFactSource.objects.filter(tool=OuterRef("pk"))),
            changed=Exists(unreviewed.filter(tool=OuterRef("pk"))),
            unverified=Exists(missing.filter(tool=OuterRef("pk"))),
            steering=Exists(SteeringFlag.objects.filter(tool=OuterRef("pk"))),
            # Decided in the panel's Held answers list, which names what each one said.
            held_answers=Exists(
                HeldAnswer.objects.filter(hold__in=QUEUED_HOLDS).filter(
                    Q(tool=OuterRef("pk")) | Q(other_tool=OuterRef("pk"))
                )
            ),
        )
        .filter(reduce(operator.or_, (Q(**{flag: True}) for _, flag in QUEUE_KINDS.values())))
        .select_related("category")
        .prefetch_related(
            Prefetch("fact_sources", to_attr="queue_sources"),
            Prefetch(
                "fact_changes",
                queryset=unreviewed.order_by("read_at", "pk"),
                to_attr="queue_changes",
            ),
            Prefetch("registry_checks", queryset=missing, to_attr="queue_checks"),
            Prefetch(
                "steering_flags",
                queryset=SteeringFlag.objects.order_by("source", "start", "rule"),
                to_attr="queue_flags",
            ),
        )
    )


def queue_kinds(tool: QueuedTool) -> list[str]:
    """The QUEUE_KINDS a tool from `review_queue` is queued as."""
    return [kind for kind, (_, flag) in QUEUE_KINDS.items() if getattr(tool, flag)]


def is_placeholder_category(tool: Tool) -> bool:
    return tool.category.slug == PLACEHOLDER_CATEGORY["slug"]


@transaction.atomic
def queued_tool_publish(*, tool: Tool) -> bool:
    """Publish a tool from the queue; False when it was already published.

    Raises ValidationError, leaving the tool a draft, while it is still in the placeholder
    category an import filed it in, or when it fails the catalog's checks.
    """
    # Only the tool's row is locked: publishing tools of one category at once must not queue.
    locked = Tool.objects.select_for_update(of=("self",)).select_related("category").get(pk=tool.pk)
    if locked.is_published:
        return False
    if is_placeholder_category(locked):
        raise ValidationError(
            f"its category is still the placeholder “{locked.category.name}”: "
            "choose its real category first."
        )
    return tool_publish(tool=locked)


@transaction.atomic
def fact_changes_review(
    *,
    tool_ids: Iterable[int],
    seen_up_to: int | None = None,
    reviewed_at: datetime.datetime | None = None,
) -> int:
    """Mark these tools' unreviewed fact changes reviewed; returns how many were marked.

    `seen_up_to` is the newest change id the editor had on screen: a change an import added
    after it stays queued. Marking again marks nothing.
    """
    changes = ToolFactChange.objects.filter(tool__in=tool_ids, reviewed_at__isnull=True)
    if seen_up_to is not None:
        changes = changes.filter(pk__lte=seen_up_to)
    return changes.update(reviewed_at=reviewed_at or timezone.now())
