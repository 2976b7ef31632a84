"""The search endpoint: published tools and comparisons matching every word, best first."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from verdicts.api.schemas import ComparisonOut, ToolOut, ValidationErrorOut
from verdicts.api.serializers import comparison_dict, tool_dict
from verdicts.search.selectors import SEARCH_MAX_LENGTH, search_query

router = Router(tags=["search"])
SEARCH_LIMIT_MAX = 50


class SearchParams(Schema):
    q: str = Field(
        ...,
        max_length=SEARCH_MAX_LENGTH,
        description="Words; each also matches as the start of a longer word.",
    )
    limit: int = Field(
        20,
        ge=1,
        le=SEARCH_LIMIT_MAX,
        description=f"At most this many tools, and as many comparisons (1 to {SEARCH_LIMIT_MAX}).",
    )


class SearchOut(Schema):
    terms: list[str] = Field(description="The words searched: lowercased, each once, at most 8.")
    tools: list[ToolOut]
    comparisons: list[ComparisonOut]


@router.get(
    "",
    response={200: SearchOut, 422: ValidationErrorOut},
    summary="Published tools and comparisons matching every word, the one named first",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    results = search_query(text=params.q, tool_limit=params.limit, comparison_limit=params.limit)
    return {
        "terms": results.terms,
        "tools": [tool_dict(tool) for tool in results.tools],
        "comparisons": [comparison_dict(comparison) for comparison in results.comparisons],
    }
