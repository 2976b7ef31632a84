"""Whole-catalog figures that lists show beside one window of themselves.

Each reads every published comparison, so each is kept (verdicts/common/content_memo.py) until
the catalog next changes: a request then costs the memo's lookup, not the count.
"""

from datetime import datetime

from verdicts.common.content_memo import content_memo
from verdicts.common.content_versions import CATALOG
from verdicts.pages.read_models.comparisons import comparison_list_published


def comparison_count_published() -> int:
    """How many comparisons are published (both tools published too)."""
    return content_memo(
        key="comparisons:published-count",
        scopes=[CATALOG],
        compute=lambda: comparison_list_published().select_related(None).order_by().count(),
    )


def comparison_last_changed() -> datetime | None:
    """The newest updated_at among published comparisons: no index orders them by it."""
    return content_memo(
        key="comparisons:published-lastmod",
        scopes=[CATALOG],
        compute=lambda: (
            comparison_list_published()
            .select_related(None)
            .order_by("-updated_at")
            .values_list("updated_at", flat=True)
            .first()
        ),
    )
