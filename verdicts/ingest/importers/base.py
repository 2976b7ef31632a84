"""What every importer shares: the facts it reads about a tool, each with its source and date.

An importer is one class per source. `can_import(target)` says whether a command-line target
(a path, `pypi:<name>`, a URL) is one it reads; `read(target)` returns one item per tool found:
its `ToolFacts`, or a `Refusal` for an entry that could not be read, so one bad entry among good
ones is reported while the rest go on. A target that cannot be read at all raises
`ImportRefused`. Importers never write to the database; `verdicts.ingest.intake` does.
"""

import datetime
from dataclasses import dataclass, field, fields

from django.utils import timezone


class ImportRefused(Exception):
    """A whole target could not be read; the message is one line, without the target."""


class ArtifactMissing(ImportRefused):
    """The registry answered that the named artifact does not exist (a 404, not an outage).

    A tool that names it is then marked unverified, with what was checked (`checked_url`).
    """

    def __init__(self, message: str, *, registry: str, artifact: str, checked_url: str):
        super().__init__(message)
        self.registry = registry
        self.artifact = artifact
        self.checked_url = checked_url


@dataclass(frozen=True)
class Sourced[T]:
    """One fact's value, where it was read and when."""

    value: T
    source_url: str
    read_at: datetime.datetime


@dataclass(frozen=True)
class Refusal:
    """An entry of a target that could not be read, and why (one line)."""

    target: str
    reason: str


# The facts a Tool row holds itself; the others are kept only with their sources, in ingest.
TOOL_FIELD_FACTS = ("name", "tagline", "description", "homepage", "repository_url", "licence")


@dataclass(frozen=True)
class RegistryCheck:
    """A registry confirmed the tool's artifact: which registry, which artifact, at which URL."""

    registry: str  # "Hugging Face Hub", "GitHub", "package index"
    artifact: str  # "HuggingFaceTB/SmolVLM-Instruct", "pypi:requests"
    checked_url: str
    checked_at: datetime.datetime


@dataclass(frozen=True)
class SourceDocument:
    """Readable text a source gave about the tool (a page's text, a README, a model card).

    It joins the panel's dossier as vendor-written data; it is not a fact.
    """

    title: str
    text: str
    source_url: str


@dataclass(frozen=True)
class ToolFacts:
    """What one source says about one tool. `target` names the entry in messages.

    Hints (`slug_hint`, `category_hint`, `vendor_hint`) only steer a new tool's creation; the
    facts are compared and recorded, each with its source URL and read date.
    """

    target: str
    name: Sourced[str]
    slug_hint: str = ""
    category_hint: str = ""
    vendor_hint: str = ""
    vendor_homepage: str = ""
    tagline: Sourced[str] | None = None
    description: Sourced[str] | None = None
    homepage: Sourced[str] | None = None
    repository_url: Sourced[str] | None = None
    package_name: Sourced[str] | None = None
    licence: Sourced[str] | None = None
    version: Sourced[str] | None = None
    release_date: Sourced[datetime.date] | None = None
    hub_id: Sourced[str] | None = None  # a Hugging Face Hub repo id, "owner/name"
    logo_url: Sourced[str] | None = None
    # Registry-specific facts, kept with their sources only: "parameters", "stars", "topics"...
    # Values are strings (or dates) as a reader would see them.
    extra: dict[str, Sourced] = field(default_factory=dict)
    document: SourceDocument | None = None
    verified: RegistryCheck | None = None

    def facts(self) -> dict[str, Sourced]:
        """Every fact this source gave a value for, by name, in a stable order."""
        found: dict[str, Sourced] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Sourced) and value.value not in ("", None):
                found[item.name] = value
        for name, value in sorted(self.extra.items()):
            if value.value not in ("", None) and name not in found:
                found[name] = value
        return found


def sourced[T](value: T, source_url: str, read_at: datetime.datetime) -> Sourced[T] | None:
    """A fact, or None when the source gave no value for it."""
    if value in ("", None):
        return None
    return Sourced(value=value, source_url=source_url, read_at=read_at)


def read_now() -> datetime.datetime:
    return timezone.now()


@dataclass(frozen=True)
class Validators:
    """An earlier fetch's ETag and Last-Modified, for a conditional re-fetch of a source."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class ConditionalRead:
    """A re-read of a configured source: `items` is None when the source was not modified."""

    items: list["ToolFacts | Refusal"] | None
    validators: Validators


class Importer:
    """One source of tools. Subclasses set `name` and implement `can_import` and `read`.

    Importers of listings (a feed, a registry search) also implement `read_conditional`, so a
    configured source that has not changed since its last run costs one 304 and nothing more.
    """

    name = ""

    def can_import(self, target: str) -> bool:
        raise NotImplementedError

    def read(self, target: str) -> list[ToolFacts | Refusal]:
        raise NotImplementedError

    def read_conditional(self, target: str, *, validators: Validators) -> ConditionalRead:
        """By default a full read; listing importers send the validators and may get a 304."""
        return ConditionalRead(items=self.read(target), validators=Validators())
