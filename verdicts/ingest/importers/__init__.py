"""Importers of outside tools, one class a source; `importer_for` picks the one for a target.

A new source is one `Importer` subclass added to `IMPORTERS` (most specific first).
"""

from verdicts.ingest.importers.base import (
    ArtifactMissing,
    Importer,
    ImportRefused,
    Refusal,
    RegistryCheck,
    Sourced,
    SourceDocument,
    ToolFacts,
)
from verdicts.ingest.importers.files import FileImporter
from verdicts.ingest.importers.package_index import PackageIndexImporter

IMPORTERS: list[Importer] = [PackageIndexImporter(), FileImporter()]


def importer_for(target: str) -> Importer:
    """The first importer that reads this target, or ImportRefused saying what is accepted."""
    for importer in IMPORTERS:
        if importer.can_import(target):
            return importer
    raise ImportRefused(
        "not a readable file (.json, .toml) nor a known source "
        "(pypi:<name>, https://pypi.org/project/<name>/)"
    )


__all__ = [
    "IMPORTERS",
    "ArtifactMissing",
    "FileImporter",
    "ImportRefused",
    "Importer",
    "PackageIndexImporter",
    "Refusal",
    "RegistryCheck",
    "SourceDocument",
    "Sourced",
    "ToolFacts",
    "importer_for",
]
