"""Badge data: what a tool's or a comparison's live badge shows, and how to embed it."""

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from verdicts.api.lookups import published_or_404
from verdicts.api.schemas import ErrorOut, ShareOut, Slug, ValidationErrorOut
from verdicts.api.serializers import share_dict
from verdicts.common.urls import absolute_url
from verdicts.pages.read_models.badges import Badge, comparison_badge, tool_badge_get
from verdicts.pages.read_models.comparisons import comparison_get_published

router = Router(tags=["badges"])


class BadgeSideOut(Schema):
    tool: str = Field(description="The tool's slug.")
    name: str
    panel: ShareOut = Field(description="Current AI panel reviews that say ship, of all.")
    last_reviewed: datetime.date | None = Field(
        description="The day its latest current review was written; null when none is."
    )


class BadgeOut(Schema):
    label: str = Field(description='Always "AI panel": the reviews are written by models.')
    text: str = Field(description="The badge's figure, as drawn.")
    title: str = Field(description="The sentence a screen reader hears.")
    last_reviewed: datetime.date | None
    sides: list[BadgeSideOut]
    svg_url: str
    page_url: str
    html: str = Field(description="HTML to embed the badge, linked to its page.")
    markdown: str = Field(description="Markdown to embed the badge, linked to its page.")


def badge_dict(badge: Badge) -> dict:
    return {
        "label": badge.label,
        "text": badge.value,
        "title": badge.title,
        "last_reviewed": badge.last_reviewed,
        "sides": [
            {
                "tool": side.tool.slug,
                "name": side.tool.name,
                "panel": share_dict(side.figure.share),
                "last_reviewed": side.figure.last_reviewed,
            }
            for side in badge.sides
        ],
        "svg_url": absolute_url(badge.svg_path),
        "page_url": absolute_url(badge.page_path),
        "html": badge.html,
        "markdown": badge.markdown,
    }


@router.get(
    "/tools/{slug}",
    response={200: BadgeOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="A tool's live badge: its AI panel share, count and last review date",
)
def badges_tool(request: HttpRequest, slug: Slug):
    return badge_dict(published_or_404(tool_badge_get(slug=slug), kind="tool"))


@router.get(
    "/comparisons/{slug}",
    response={200: BadgeOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="A comparison's live badge: both tools' AI panel shares and the last review date",
)
def badges_comparison(request: HttpRequest, slug: Slug):
    comparison = published_or_404(comparison_get_published(slug=slug), kind="comparison")
    return badge_dict(comparison_badge(comparison=comparison))
