"""The JSON API: catalog reads and community votes; OpenAPI at /api/docs."""

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Query
from ninja.errors import HttpError

from verdicts.api.badges import router as badges_router
from verdicts.api.lookups import published_or_404
from verdicts.api.panel import comparison_panel_dict
from verdicts.api.panel import router as panel_router
from verdicts.api.pricing import router as pricing_router
from verdicts.api.schemas import (
    ComparisonDetailOut,
    ComparisonPageOut,
    ComparisonParams,
    ErrorOut,
    PageParams,
    Slug,
    ToolDetailOut,
    ToolPageOut,
    ValidationErrorOut,
)
from verdicts.api.search import router as search_router
from verdicts.api.serializers import (
    comparison_dict,
    comparison_page_dict,
    page_of,
    tool_dict,
    tool_page_dict,
)
from verdicts.api.timeline import timeline_dicts
from verdicts.api.votes import router as votes_router
from verdicts.catalog.selectors import (
    category_tool_count,
    tool_get_published,
    tool_list_published,
)
from verdicts.pages.read_models.comparisons import (
    comparison_get_published,
    comparison_list_published,
    comparison_list_published_after,
    comparison_page,
)
from verdicts.pages.read_models.counts import comparison_count_published
from verdicts.pages.read_models.tools import tool_page
from verdicts.panel.history.selectors import tool_timeline

api = NinjaAPI(
    title="Verdicts API",
    version="1",
    description=(
        "Read the Verdicts catalog, panel reviews, comparisons and rankings, and cast community"
        " votes: ship or skip on a tool, a pick on a comparison. Reads need no key; votes take"
        " the voter cookie and CSRF token and are rate-limited."
    ),
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(MultiPartParserError)
def malformed_form_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A form body Django cannot parse (a multipart type without a boundary): 400 in JSON."""
    return api.create_response(request, {"detail": f"Malformed body: {exc}"}, status=400)


@api.get(
    "/tools",
    response={200: ToolPageOut, 422: ValidationErrorOut},
    tags=["tools"],
    summary="Published tools, by slug",
)
def tools_list(request: HttpRequest, page: Query[PageParams]):
    tools = tool_list_published().order_by("slug")
    if page.after:
        tools = tools.filter(slug__gt=page.after)
    return page_of(
        tools, page=page, serialize=tool_dict, count=category_tool_count(), path=request.path
    )


@api.get(
    "/tools/{slug}",
    response={200: ToolDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    tags=["tools"],
    summary="One tool with its panel reviews",
)
def tools_detail(request: HttpRequest, slug: Slug):
    tool = published_or_404(tool_get_published(slug=slug), kind="tool")
    timeline = timeline_dicts(tool_timeline(tool_id=tool.pk))
    return {**tool_page_dict(tool_page(tool=tool)), "timeline": timeline}


@api.get(
    "/comparisons",
    response={200: ComparisonPageOut, 404: ErrorOut, 422: ValidationErrorOut},
    tags=["comparisons"],
    summary="Published comparisons, newest first",
)
def comparisons_list(request: HttpRequest, page: Query[PageParams]):
    comparisons = comparison_list_published()
    if page.after:
        comparisons = comparison_list_published_after(slug=page.after)
        if comparisons is None:
            raise HttpError(404, "No published comparison with that slug to start after.")
    return page_of(
        comparisons.select_related(None).select_related("tool_a", "tool_b"),
        page=page,
        serialize=comparison_dict,
        count=comparison_count_published(),
        path=request.path,
    )


@api.get(
    "/comparisons/{slug}",
    response={200: ComparisonDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    tags=["comparisons"],
    summary="One comparison, both sides, with the panel's reviews",
)
def comparisons_detail(request: HttpRequest, slug: Slug, params: Query[ComparisonParams]):
    comparison = published_or_404(comparison_get_published(slug=slug), kind="comparison")
    page = comparison_page(comparison=comparison)
    return {**comparison_page_dict(page), **comparison_panel_dict(page, weights=params.weights)}


api.add_router("/votes", votes_router)
api.add_router("/pricing", pricing_router)
api.add_router("/panel", panel_router)
api.add_router("/search", search_router)
api.add_router("/badges", badges_router)
