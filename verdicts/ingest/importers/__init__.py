"""Importers of outside tools, one class a source; `importer_for` picks the one for a target.

A new source is one `Importer` subclass added to `IMPORTERS` (most specific first): the web
importer, which takes any http(s) URL, stays last so registry URLs reach their own importers.
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
from verdicts.ingest.importers.github import GitHubImporter
from verdicts.ingest.importers.hub import HubImporter
from verdicts.ingest.importers.package_index import PackageIndexImporter
from verdicts.ingest.importers.web import WebImporter

IMPORTERS: list[Importer] = [
    PackageIndexImporter(),
    HubImporter(),
    GitHubImporter(),
    FileImporter(),
    WebImporter(),
]


def importer_for(target: str) -> Importer:
    """The first importer that reads this target, or ImportRefused saying what is accepted."""
    for importer in IMPORTERS:
        if importer.can_import(target):
            return importer
    raise ImportRefused(
        "not a readable file (.json, .toml, .yaml) of tools nor a feed file (.xml, .rss, .atom), "
        "nor a known source (pypi:<name>, hf:<owner>/<name>, github:<owner>/<repo>, "
        "hf-search:<query>, github-topic:<topic>, any http(s) page or feed URL)"
    )


__all__ = [
    "IMPORTERS",
    "ArtifactMissing",
    "FileImporter",
    "GitHubImporter",
    "HubImporter",
    "ImportRefused",
    "Importer",
    "PackageIndexImporter",
    "Refusal",
    "RegistryCheck",
    "SourceDocument",
    "Sourced",
    "ToolFacts",
    "WebImporter",
    "importer_for",
]
