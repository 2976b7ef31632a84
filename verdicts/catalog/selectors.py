"""Reads from the catalog."""

from django.db.models import Count, Q, QuerySet

from verdicts.catalog.models import Category, Tool

SEARCH_MAX_LENGTH = 100


def tool_get_published(*, slug: str) -> Tool | None:
    """A published tool with its category, vendor and plans, or None."""
    return Tool.objects.published().with_card_data().filter(slug=slug).first()


def tool_list_published(*, category: Category | None = None) -> QuerySet[Tool]:
    tools = Tool.objects.published().with_card_data()
    if category is not None:
        tools = tools.filter(category=category)
    return tools


def category_list_with_counts() -> QuerySet[Category]:
    """Categories that have published tools, each with its tool count."""
    published = Q(tools__status=Tool.Status.PUBLISHED)
    return (
        Category.objects.annotate(tool_count=Count("tools", filter=published))
        .filter(tool_count__gt=0)
        .order_by("name")
    )


def category_get(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def tool_search(*, query: str, limit: int = 50) -> list[Tool]:
    """Published tools whose name, tagline, description, vendor or category match every word."""
    words = query.split()[:8]
    if not words:
        return []
    tools = tool_list_published()
    for word in words:
        tools = tools.filter(
            Q(name__icontains=word)
            | Q(tagline__icontains=word)
            | Q(description__icontains=word)
            | Q(vendor__name__icontains=word)
            | Q(category__name__icontains=word)
        )
    return list(tools[:limit])
