"""The category page: its published tools with their panel share, and its comparisons."""

from dataclasses import dataclass

from django.db.models import QuerySet

from verdicts.catalog.models import Category, Comparison, Tool
from verdicts.catalog.selectors import category_tool_count, tool_list_published
from verdicts.common.share import Share
from verdicts.pages.read_models.comparisons import comparison_list_for_category
from verdicts.pages.read_models.paging import Window, window_get
from verdicts.panel.selectors import panel_shares, review_list_current

TOOLS_PER_PAGE = 50
COMPARISONS_SHOWN = 20


@dataclass(frozen=True)
class CategoryRow:
    tool: Tool
    panel: Share


@dataclass(frozen=True)
class CategoryPage:
    category: Category
    tools: Window
    rows: list[CategoryRow]
    comparisons: QuerySet[Comparison]


def category_page(*, category: Category, number: str | None) -> CategoryPage | None:
    """One page of the category's tools; None when that page lists no published tool."""
    tools_page = window_get(
        items=tool_list_published(category=category),
        per_page=TOOLS_PER_PAGE,
        number=number,
        count=category_tool_count(category=category),
    )
    tools = list(tools_page.object_list)
    if not tools:
        return None
    tool_ids = [tool.pk for tool in tools]
    shares = panel_shares(reviews=review_list_current(tool_ids=tool_ids), tool_ids=tool_ids)
    return CategoryPage(
        category=category,
        tools=tools_page,
        rows=[CategoryRow(tool=tool, panel=shares[tool.pk]) for tool in tools],
        comparisons=comparison_list_for_category(category=category)[:COMPARISONS_SHOWN],
    )
