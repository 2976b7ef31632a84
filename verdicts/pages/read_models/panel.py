"""The panel index and each persona's page: charter, record and reviews."""

from dataclasses import dataclass

from verdicts.pages.read_models.paging import Window, window_get
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
    personas: list[Persona]


def panel_page() -> PanelPage:
    """Every active persona with its review counts (kept counts: one query, and the memo's)."""
    return PanelPage(personas=persona_list_active())


@dataclass(frozen=True)
class PersonaPage:
    persona: Persona
    record: PersonaRecord
    reviews: Window


def persona_page(*, persona: Persona, number: str | None) -> PersonaPage:
    """The persona's charter, its record and one page of its reviews."""
    reviews = window_get(
        items=persona_reviews(persona=persona), per_page=REVIEWS_PER_PAGE, number=number
    )
    return PersonaPage(persona=persona, record=persona_record(persona=persona), reviews=reviews)
