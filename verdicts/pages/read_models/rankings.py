"""The community rankings, overall or within one category."""

from dataclasses import dataclass

from verdicts.catalog.models import Category
from verdicts.catalog.selectors import category_list_with_counts
from verdicts.common.content_memo import content_memo
from verdicts.common.content_versions import CATALOG
from verdicts.votes.selectors import Rankings, rankings_get


@dataclass(frozen=True)
class RankingsPage:
    category: Category | None
    categories: list[Category]
    rankings: Rankings


def rankings_page(*, category: Category | None) -> RankingsPage:
    """The stored rankings of the scope, with every category to switch to (kept until the
    catalog changes: each count is a row that every tool's insert rewrites, so after a bulk
    load PostgreSQL walks its dead versions until the table is vacuumed)."""
    return RankingsPage(
        category=category,
        categories=content_memo(
            key="rankings:categories",
            scopes=[CATALOG],
            compute=lambda: list(category_list_with_counts()),
        ),
        rankings=rankings_get(scope=category.slug if category else ""),
    )
