"""The panel's head-to-head answers: which tool each persona would ship with, in both orders."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from verdicts.api.schemas import ErrorOut, Slug, ValidationErrorOut
from verdicts.pages.read_models.comparisons import comparison_get_published
from verdicts.panel.selectors import head_to_head_picks

router = Router(tags=["panel"])


class HeadToHeadOut(Schema):
    persona: str
    pick: str | None = Field(description="The tool's slug; null when the pick flipped (a tie).")
    tie: bool = Field(description="True when the persona's pick changed with the order asked.")
    for_whom: str


@router.get(
    "/comparisons/{slug}/head-to-head",
    response={200: list[HeadToHeadOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="Each persona's pick between the two tools, asked in both orders",
)
def head_to_head(request: HttpRequest, slug: Slug):
    """Each persona's latest pick; a pick that flipped with the order is a tie."""
    comparison = comparison_get_published(slug=slug)
    if comparison is None:
        raise HttpError(404, "No published comparison with that slug.")
    picks = head_to_head_picks(tool_a=comparison.tool_a, tool_b=comparison.tool_b)
    return [
        {
            "persona": pick.persona.slug,
            "pick": pick.pick.slug if pick.pick else None,
            "tie": not pick.consistent,
            "for_whom": pick.for_whom,
        }
        for pick in picks
    ]
