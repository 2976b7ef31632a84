"""The panel index and each persona's page: charter, record and reviews."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from verdicts.panel.models import Persona
from verdicts.panel.selectors import (
    PersonaRecord,
    persona_list_active,
    persona_record,
    persona_reviews,
)

REVIEWS_PER_PAGE = 20


@dataclass(frozen=True)
class PanelPage:
    personas: QuerySet[Persona]


def panel_page() -> PanelPage:
    """Every active persona with its review counts, in one query."""
    return PanelPage(personas=persona_list_active())


@dataclass(frozen=True)
class PersonaPage:
    persona: Persona
    record: PersonaRecord
    reviews: Page


def persona_page(*, persona: Persona, number: str | None) -> PersonaPage:
    """The persona's charter, its record and one page of its reviews."""
    reviews = Paginator(persona_reviews(persona=persona), REVIEWS_PER_PAGE).get_page(number)
    return PersonaPage(persona=persona, record=persona_record(persona=persona), reviews=reviews)
