"""The community rankings, overall or within one category."""

from dataclasses import dataclass

from django.db.models import QuerySet

from verdicts.catalog.models import Category
from verdicts.catalog.selectors import category_list_with_counts
from verdicts.votes.selectors import Rankings, rankings_get


@dataclass(frozen=True)
class RankingsPage:
    category: Category | None
    categories: QuerySet[Category]
    rankings: Rankings


def rankings_page(*, category: Category | None) -> RankingsPage:
    """The stored rankings of the scope, with every category to switch to."""
    return RankingsPage(
        category=category,
        categories=category_list_with_counts(),
        rankings=rankings_get(scope=category.slug if category else ""),
    )
