"""Imported documentation and the facts' provenance join the panel's dossier, through the
panel's contributor registries."""

import datetime

from django.db.models.functions import Left

from verdicts.catalog.models import Tool
from verdicts.ingest.models import ToolDocument
from verdicts.ingest.selectors import tool_provenance
from verdicts.panel.dossier import (
    DossierCheck,
    DossierConflict,
    DossierDocument,
    DossierProvenance,
    DossierSource,
    dossier_contributor_register,
    dossier_provenance_register,
)


def tool_documents(tool: Tool, max_chars: int) -> list[DossierDocument]:
    """A tool's imported documents, newest first, each text cut to max_chars in the database."""
    rows = (
        ToolDocument.objects.filter(tool=tool)
        .order_by("-updated_at", "-pk")
        .values_list("title", "source_url", "updated_at", Left("text", max_chars))
    )
    return [
        DossierDocument(
            title=title, source=source_url, updated=updated_at.date().isoformat(), text=text
        )
        for title, source_url, updated_at, text in rows
    ]


def day(moment: datetime.datetime) -> str:
    return moment.date().isoformat()


def tool_dossier_provenance(tool: Tool) -> DossierProvenance:
    """Each fact's source and read date, the registries' answers, and the conflicts."""
    provenance = tool_provenance(tool=tool)
    return DossierProvenance(
        sources=[
            DossierSource(
                fact=source.fact,
                value=source.value,
                source=source.source_url,
                read=day(source.read_at),
            )
            for source in provenance.sources
        ],
        checks=[
            DossierCheck(
                summary=check.summary,
                found=check.found,
                checked_url=check.checked_url,
                checked=day(check.checked_at),
            )
            for check in provenance.checks
        ],
        conflicts=[
            DossierConflict(
                fact=conflict.fact,
                editorial=conflict.editorial.value,
                value=conflict.sourced.value,
                source=conflict.sourced.source_url,
                read=day(conflict.sourced.at),
            )
            for conflict in provenance.conflicts
        ],
        editorial_updated=day(provenance.editorial_at),
    )


dossier_contributor_register(tool_documents)
dossier_provenance_register(tool_dossier_provenance)
