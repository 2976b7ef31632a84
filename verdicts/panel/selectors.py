"""Reads from the panel."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from verdicts.catalog.models import Tool
from verdicts.core.stats import Share
from verdicts.panel.models import Persona, Review, Verdict


def persona_list_active() -> QuerySet[Persona]:
    """Active personas in page order, each with its count of current reviews and ships."""
    current = Q(reviews__is_current=True, reviews__tool__status=Tool.Status.PUBLISHED)
    return Persona.objects.active().annotate(
        review_count=Count("reviews", filter=current),
        ship_count=Count("reviews", filter=current & Q(reviews__verdict=Verdict.SHIP)),
    )


def persona_get_active(*, slug: str) -> Persona | None:
    return Persona.objects.active().filter(slug=slug).first()


def review_list_current(*, tool_ids: Iterable[int]) -> list[Review]:
    """Current reviews of these tools by active personas, in panel order."""
    return list(
        Review.objects.current()
        .filter(tool_id__in=list(tool_ids), persona__is_active=True)
        .select_related("persona")
        .order_by("persona__position", "persona__slug")
    )


def panel_shares(*, reviews: Iterable[Review], tool_ids: Iterable[int]) -> dict[int, Share]:
    """Each tool's panel verdict: current reviews that say ship, of those with a verdict."""
    ships: Counter[int] = Counter()
    totals: Counter[int] = Counter()
    for review in reviews:
        totals[review.tool_id] += 1
        if review.verdict == Verdict.SHIP:
            ships[review.tool_id] += 1
    return {tool_id: Share(ships[tool_id], totals[tool_id]) for tool_id in tool_ids}


@dataclass(frozen=True)
class CategoryRecord:
    name: str
    slug: str
    reviewed: int
    shipped: int


@dataclass(frozen=True)
class PersonaRecord:
    """What a persona has said: its current reviews and its ship rate by category."""

    reviews: list[Review]
    share: Share
    by_category: list[CategoryRecord]


def persona_record(*, persona: Persona) -> PersonaRecord:
    reviews = list(
        Review.objects.current()
        .filter(persona=persona, tool__status=Tool.Status.PUBLISHED)
        .select_related("tool__category")
        .order_by("tool__category__name", "tool__name")
    )
    reviewed: Counter[str] = Counter()
    shipped: Counter[str] = Counter()
    names: dict[str, str] = {}
    for review in reviews:
        category = review.tool.category
        names[category.slug] = category.name
        reviewed[category.slug] += 1
        shipped[category.slug] += review.verdict == Verdict.SHIP
    by_category = [
        CategoryRecord(name=names[slug], slug=slug, reviewed=reviewed[slug], shipped=shipped[slug])
        for slug in sorted(names, key=names.get)
    ]
    share = Share(sum(shipped.values()), len(reviews))
    return PersonaRecord(reviews=reviews, share=share, by_category=by_category)


def reviews_by_tool(*, reviews: Iterable[Review]) -> dict[int, list[Review]]:
    grouped: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        grouped[review.tool_id].append(review)
    return grouped
