"""Imported documentation joins the panel's dossier, through the panel's contributor registry."""

from django.db.models.functions import Left

from verdicts.catalog.models import Tool
from verdicts.ingest.models import ToolDocument
from verdicts.panel.dossier import DossierDocument, dossier_contributor_register


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


dossier_contributor_register(tool_documents)
