"""The personas' charters: TOML files in `personas/`, synced into the database on request."""

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from verdicts.catalog.services import starter_item_claim
from verdicts.common.datafiles import (
    Strict,
    model_errors_named,
    read_toml,
    slugs_unique_check,
)
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import persona_charter_update, persona_create

PERSONA_DIR = Path(__file__).resolve().parent / "personas"


class PersonaEntry(Strict):
    slug: str
    name: str
    order: int
    lens: str
    motto: str = ""
    thinks: str = ""
    excited_by: str = ""
    tired_of: str = ""
    never_says: list[str] = []
    questions: list[str] = []


def persona_files_read(*, persona_dir: Path = PERSONA_DIR) -> list[PersonaEntry]:
    """Every persona file, validated, in file-name order; no slug in two files."""
    entries = [read_toml(path, PersonaEntry)[0] for path in sorted(persona_dir.glob("*.toml"))]
    slugs_unique_check(entries, kind="persona")
    return entries


def persona_charter(entry: PersonaEntry) -> dict:
    """A persona file's charter in the Persona model's field names."""
    charter = entry.model_dump(exclude={"slug", "order"})
    return {**charter, "position": entry.order}


class SyncState(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    SAME = "same"


@dataclass(frozen=True)
class PersonaSynced:
    """One persona file against the database, as found before any change was applied."""

    slug: str
    state: SyncState


def personas_sync(*, persona_dir: Path = PERSONA_DIR, apply: bool) -> list[PersonaSynced]:
    """Compare each persona file with the database; with apply, create or update to match."""
    personas = {persona.slug: persona for persona in Persona.objects.all()}
    found: list[PersonaSynced] = []
    for entry in persona_files_read(persona_dir=persona_dir):
        charter = persona_charter(entry)
        persona = personas.get(entry.slug)
        if persona is None:
            found.append(PersonaSynced(slug=entry.slug, state=SyncState.NEW))
            if apply:
                with model_errors_named(entry.source_file):
                    persona_create(slug=entry.slug, **charter)
                starter_item_claim(key=f"persona:{entry.slug}")
        elif any(getattr(persona, field) != value for field, value in charter.items()):
            found.append(PersonaSynced(slug=entry.slug, state=SyncState.CHANGED))
            if apply:
                with model_errors_named(entry.source_file):
                    persona_charter_update(persona=persona, charter=charter)
        else:
            found.append(PersonaSynced(slug=entry.slug, state=SyncState.SAME))
    return found
