"""Writes to the imported documentation."""

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from verdicts.catalog.models import Tool
from verdicts.ingest.models import ToolDocument


class ImportOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class DocumentImport:
    document: ToolDocument
    outcome: ImportOutcome
    previous_chars: int | None = None


def document_text_clean(text: str) -> str:
    """Text as stored and hashed: one kind of line ending, no surrounding blank space."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def document_text_check(text: str, *, max_chars: int) -> None:
    if not text:
        raise ValidationError("The document is empty.")
    if "\x00" in text:
        # PostgreSQL cannot store NUL in text, and documentation never contains one.
        raise ValidationError("The document contains NUL characters: is it a binary file?")
    if len(text) > max_chars:
        raise ValidationError(
            f"The document has {len(text)} characters, more than VERDICTS_DOCUMENT_MAX_CHARS "
            f"({max_chars}). Import a smaller part of it."
        )


@transaction.atomic
def tool_document_import(
    *, tool: Tool, title: str, text: str, source_url: str = ""
) -> DocumentImport:
    """Store a tool's document, or update the one from the same source (its URL, else its title).

    Importing the same text again changes nothing; bad input raises ValidationError and leaves
    any stored document as it was.
    """
    title, source_url, text = title.strip(), source_url.strip(), document_text_clean(text)
    document_text_check(text, max_chars=settings.VERDICTS_DOCUMENT_MAX_CHARS)
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = {"source_url": source_url} if source_url else {"source_url": "", "title": title}
    same_source = ToolDocument.objects.select_for_update().filter(tool=tool, **key)
    document = same_source.first()
    if document is None:
        document = ToolDocument(
            tool=tool, title=title, source_url=source_url, text=text, content_sha256=digest
        )
        # Each constraint is on the source's own key, so a clash can only mean a concurrent
        # import of the same source: the database decides, and the loser updates that row.
        document.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                document.save()
            return DocumentImport(document=document, outcome=ImportOutcome.CREATED)
        except IntegrityError:
            document = same_source.first()
            if document is None:
                raise
    if document.content_sha256 == digest and document.title == title:
        return DocumentImport(document=document, outcome=ImportOutcome.UNCHANGED)
    previous_chars = len(document.text)
    document.title, document.text, document.content_sha256 = title, text, digest
    document.full_clean()
    document.save()
    return DocumentImport(
        document=document, outcome=ImportOutcome.UPDATED, previous_chars=previous_chars
    )
