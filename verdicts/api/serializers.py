"""Turning models and page data into API dictionaries."""

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from verdicts.api.schemas import PageParams, PlanOut
from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.specs import SpecCell, spec_rows, tool_specs
from verdicts.common.share import Share
from verdicts.common.urls import absolute_url
from verdicts.ingest.selectors import ToolProvenance
from verdicts.pages.read_models.comparisons import ComparisonPage
from verdicts.pages.read_models.tools import ToolPage
from verdicts.panel.labels import review_label
from verdicts.panel.models import Review


def page_of(
    items: QuerySet,
    *,
    page: PageParams,
    serialize: Callable[[Any], dict],
    count: int,
    path: str,
) -> dict:
    """One window of a list endpoint (items start after the cursor already), with the kept
    total and the next window's URL: one row past the window says whether there is one."""
    rows = list(items[page.offset : page.offset + page.limit + 1])
    window = rows[: page.limit]
    following = None
    if len(rows) > page.limit:
        query = urlencode({"limit": page.limit, "after": window[-1].slug})
        following = f"{absolute_url(path)}?{query}"
    return {"count": count, "next": following, "items": [serialize(item) for item in window]}


def share_dict(share: Share) -> dict:
    low, high = share.interval
    return {
        "count": share.count,
        "total": share.total,
        "percent": share.percent,
        "interval_low": round(low, 4),
        "interval_high": round(high, 4),
    }


def tool_dict(tool: Tool) -> dict:
    return {
        "slug": tool.slug,
        "name": tool.name,
        "category": tool.category.slug,
        "vendor": tool.vendor.name,
        "tagline": tool.tagline,
        "description": tool.description,
        "homepage": tool.homepage,
        "docs_url": tool.docs_url,
        "repository_url": tool.repository_url,
        "licence": tool.licence,
        "open_weights": tool.open_weights,
        "entry_tier": tool.entry_tier,
        "launch_date": tool.launch_date,
        "facts": tool.facts,
        "url": absolute_url(tool.get_absolute_url()),
        "share_image": absolute_url(reverse("pages:share-tool", args=[tool.slug])),
        "plans": [
            {field: getattr(plan, field) for field in PlanOut.model_fields}
            for plan in tool.plans.all()
        ],
    }


def review_dict(review: Review) -> dict:
    label = review_label(review)
    return {
        "persona": review.persona.slug,
        "verdict": review.verdict,
        "confidence": review.confidence,
        "body": review.body,
        "author": review.author,
        # The model name only: a model id can carry a private server's address.
        "model": review.model_name,
        "prompt_version": review.prompt_version,
        "created_at": review.created_at,
        "kind": label.kind,
        "label": label.text,
    }


def provenance_dict(provenance: ToolProvenance) -> dict:
    """Where the tool's facts come from, what changed, what registries said, what conflicts."""
    return {
        "verified": provenance.verification.value,
        "registry_checks": [
            {
                "registry": check.registry,
                "artifact": check.artifact,
                "found": check.found,
                "summary": check.summary,
                "checked_url": check.checked_url,
                "checked_at": check.checked_at,
            }
            for check in provenance.checks
        ],
        "sources": [asdict(source) for source in provenance.sources],
        "editorial_updated_at": provenance.editorial_at,
        "conflicts": [asdict(conflict) for conflict in provenance.conflicts],
        "changes": [asdict(change) for change in provenance.changes],
        "change_count": provenance.change_count,
    }


def spec_dict(cell: SpecCell) -> dict:
    """One tool's value of a specification, null when not stated, with its source."""
    return {
        "value": cell.value or None,
        "source": cell.source,
        "source_url": cell.source_url,
        "at": cell.at,
    }


def tool_page_dict(page: ToolPage) -> dict:
    """The tool page's figures: the tool, its panel and community shares, its reviews, its
    facts' provenance and its alternatives."""
    return {
        **tool_dict(page.tool),
        "panel": share_dict(page.panel),
        "community": share_dict(page.community),
        "reviews": [review_dict(review) for review in page.reviews],
        **provenance_dict(page.provenance),
        "alternatives": [
            {
                "slug": alternative.tool.slug,
                "name": alternative.tool.name,
                "score": alternative.score,
                "reasons": alternative.reasons,
            }
            for alternative in page.alternatives
        ],
        "specifications": [
            {"key": row.key, "label": row.label, **spec_dict(row.cells[0])}
            for row in spec_rows(
                tools=[tool_specs(tool=page.tool, sources=page.provenance.sources)]
            )
        ],
    }


def comparison_dict(comparison: Comparison) -> dict:
    return {
        "slug": comparison.slug,
        "title": comparison.title,
        "question": comparison.question,
        "published_at": comparison.published_at,
        "tool_a": comparison.tool_a.slug,
        "tool_b": comparison.tool_b.slug,
        "url": absolute_url(comparison.get_absolute_url()),
        "share_image": absolute_url(reverse("pages:share-comparison", args=[comparison.slug])),
    }


def comparison_page_dict(page: ComparisonPage) -> dict:
    def side(side, pick) -> dict:
        reviews = [pick(row) for row in page.scorecard if pick(row) is not None]
        return {
            "tool": tool_dict(side.tool),
            "panel": share_dict(side.panel),
            "community": share_dict(side.community),
            "reviews": [review_dict(review) for review in reviews],
        }

    return {
        **comparison_dict(page.comparison),
        "side_a": side(page.side_a, lambda row: row.review_a),
        "side_b": side(page.side_b, lambda row: row.review_b),
        "split_personas": [persona.slug for persona in page.split_personas],
        "panel_too_close": page.panel_too_close,
        "specifications": [
            {
                "key": row.key,
                "label": row.label,
                "tool_a": spec_dict(row.cells[0]),
                "tool_b": spec_dict(row.cells[1]),
            }
            for row in page.specs
        ],
    }
