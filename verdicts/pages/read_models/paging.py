"""Bounded pagination: one page of a list without counting the whole list.

Django's Paginator counts every row to number its pages; at 100,000 tools that count cost
more than the page. A window reads one row past the page to know whether another follows, and
numbers its pages only when the caller already knows the total from a kept count.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Window:
    """One page of a list: its rows, its number, whether a next page exists, and the total
    when it is known without counting."""

    object_list: list[Any]
    number: int
    has_next: bool
    count: int | None = None
    per_page: int = 1

    @property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value: str | None) -> int:
    """The page asked for; 1 for anything that is not a positive whole number."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(number, 1)


def window_get(
    *, items: QuerySet, per_page: int, number: str | None, count: int | None = None
) -> Window:
    """Rows of page `number` (1 for a malformed one), in one query. With a known count a page
    past the end is the last one, as with Paginator.get_page; without, it is empty."""
    page = page_number(number)
    if count is not None:
        page = min(page, max(1, math.ceil(count / per_page)))
    start = (page - 1) * per_page
    rows = list(items[start : start + per_page + 1])
    return Window(
        object_list=rows[:per_page],
        number=page,
        has_next=len(rows) > per_page,
        count=count,
        per_page=per_page,
    )
