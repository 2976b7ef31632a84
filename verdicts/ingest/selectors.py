"""Reads of a tool's provenance: where each fact was read, what imports changed, what the
registries said, and where a source contradicts the editors."""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Window

from verdicts.catalog.models import Tool
from verdicts.catalog.templatetags.facts import fact_label
from verdicts.ingest.identity import url_key
from verdicts.ingest.importers.base import TOOL_FIELD_FACTS
from verdicts.ingest.models import ToolFactChange, ToolFactSource, ToolRegistryCheck

EDITORS = "Verdicts editors"
IMPORTED_FILE = "an imported file"
CHANGES_SHOWN = 20
# Two counts this close are one claim rounded two ways ("3B" and "3.07B").
COUNT_TOLERANCE = 0.05
LABELS = {
    "repository_url": "Repository",
    "package_name": "Package",
    "hub_id": "Hugging Face Hub model",
    "release_date": "Released",
    "logo_url": "Logo",
}
# Prose an editor rewrites (a name, a tagline, a description) differs from a registry's without
# contradicting it; these are the tool's own fields a source can contradict.
CLAIM_FIELDS = ("homepage", "repository_url", "licence")
URL_FACTS = ("homepage", "repository_url")
COUNT_FACTS = ("parameters", "context_window")
COUNT = re.compile(
    r"^~?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|b|t|thousand|million|billion|trillion)?\b[a-z\s]*$",
    re.IGNORECASE,
)
SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
SCALE |= {"t": 1e12, "trillion": 1e12}
REGISTRY_NAMES = {"Hugging Face Hub": "the Hugging Face Hub", "package index": "the package index"}
ARTIFACT_NOUNS = {"GitHub": "repository", "Hugging Face Hub": "model", "package index": "package"}
TARGET_PREFIX = re.compile(r"^(?:github|hf|pypi):")


class Verification(StrEnum):
    VERIFIED = "verified"  # every registry asked found the artifact
    UNVERIFIED = "unverified"  # a registry said the artifact does not exist
    UNCHECKED = "unchecked"  # no registry was asked


def public_url(url: str) -> str:
    """The URL if a reader can follow it; "" for an imported file, whose path is the server's."""
    return url if url.startswith(("https://", "http://")) else ""


@dataclass(frozen=True)
class FactSource:
    """Where a fact was last read. `source_url` is "" when it was an imported file."""

    fact: str
    label: str
    value: str
    source_url: str
    read_at: datetime.datetime

    @classmethod
    def of(cls, row: ToolFactSource) -> "FactSource":
        return cls(
            fact=row.fact,
            label=label_of(row.fact),
            value=row.value,
            source_url=public_url(row.source_url),
            read_at=row.read_at,
        )


@dataclass(frozen=True)
class FactChange:
    """One change an import made to a fact, with its source and read date."""

    fact: str
    label: str
    old_value: str
    new_value: str
    source_url: str
    read_at: datetime.datetime


@dataclass(frozen=True)
class RegistryAnswer:
    """What a registry said about the artifact a tool names, and when."""

    registry: str
    artifact: str  # as a reader names it: "acme/widget", "requests"
    noun: str  # "repository", "model", "package"
    checked_url: str
    found: bool
    checked_at: datetime.datetime

    @property
    def summary(self) -> str:
        """ "GitHub has repository acme/widget", or "GitHub has no repository acme/widget"."""
        name = REGISTRY_NAMES.get(self.registry, self.registry)
        return f"{name} has {'' if self.found else 'no '}{self.noun} {self.artifact}"


@dataclass(frozen=True)
class Claim:
    """One side of a conflict: a value, who gives it and since when."""

    value: str
    source: str  # EDITORS, the source's URL, or IMPORTED_FILE
    source_url: str  # "" for the editors and for an imported file
    at: datetime.datetime


@dataclass(frozen=True)
class FactConflict:
    """A fact where a source contradicts the tool's own value: both, each with its source."""

    fact: str
    label: str
    editorial: Claim
    sourced: Claim


@dataclass(frozen=True)
class ToolProvenance:
    """Every fact's source, the recent changes, the registries' answers and the conflicts."""

    sources: list[FactSource]
    changes: list[FactChange]  # newest first, at most CHANGES_SHOWN
    change_count: int
    checks: list[RegistryAnswer]
    conflicts: list[FactConflict]
    # When an editor last changed the tool: the date of every fact no source gives.
    editorial_at: datetime.datetime

    @property
    def unverified(self) -> list[RegistryAnswer]:
        return [check for check in self.checks if not check.found]

    @property
    def verified_by(self) -> list[RegistryAnswer]:
        return [check for check in self.checks if check.found]

    @property
    def verification(self) -> Verification:
        if self.unverified:
            return Verification.UNVERIFIED
        return Verification.VERIFIED if self.checks else Verification.UNCHECKED

    @property
    def earlier_changes(self) -> int:
        return self.change_count - len(self.changes)


def label_of(fact: str) -> str:
    return LABELS.get(fact) or fact_label(fact)


def count_of(text: str) -> float | None:
    """ "3B" -> 3e9, "1.5 billion parameters" -> 1.5e9, "128k tokens" -> 128e3; else None."""
    match = COUNT.match(text.strip())
    if match is None:
        return None
    number = float(match.group(1).replace(",", ""))
    return number * SCALE.get((match.group(2) or "").lower(), 1)


def folded(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def values_agree(fact: str, ours: str, theirs: str) -> bool:
    """Whether two values of a fact say the same thing, compared the way the fact is read."""
    if fact in URL_FACTS:
        return url_key(ours) == url_key(theirs)
    if fact in COUNT_FACTS:
        a, b = count_of(ours), count_of(theirs)
        if a is not None and b is not None:
            return abs(a - b) <= COUNT_TOLERANCE * max(a, b)
    # Licences and other words: "Apache-2.0" and "apache 2.0" are one licence.
    return folded(ours) == folded(theirs)


def editorial_value(tool: Tool, fact: str) -> str:
    """The tool's own value of a fact a source can contradict, or ""."""
    if fact in CLAIM_FIELDS:
        return str(getattr(tool, fact)).strip()
    if fact in TOOL_FIELD_FACTS:
        return ""
    return str((tool.facts or {}).get(fact, "")).strip()


def conflicts_of(tool: Tool, sources: list[FactSource]) -> list[FactConflict]:
    conflicts = []
    for source in sources:
        ours = editorial_value(tool, source.fact)
        if ours and source.value and not values_agree(source.fact, ours, source.value):
            conflicts.append(
                FactConflict(
                    fact=source.fact,
                    label=source.label,
                    editorial=Claim(value=ours, source=EDITORS, source_url="", at=tool.updated_at),
                    sourced=Claim(
                        value=source.value,
                        source=source.source_url or IMPORTED_FILE,
                        source_url=source.source_url,
                        at=source.read_at,
                    ),
                )
            )
    return conflicts


def tool_provenance(*, tool: Tool) -> ToolProvenance:
    """A tool's provenance in three queries, however many facts, changes and checks it has."""
    sources = [
        FactSource.of(row) for row in ToolFactSource.objects.filter(tool=tool).order_by("fact")
    ]
    # The window counts every change before the slice, so the total costs no second query.
    rows = list(
        ToolFactChange.objects.filter(tool=tool)
        .annotate(total=Window(Count("pk")))
        .order_by("-read_at", "-pk")[:CHANGES_SHOWN]
    )
    changes = [
        FactChange(
            fact=row.fact,
            label=label_of(row.fact),
            old_value=row.old_value,
            new_value=row.new_value,
            source_url=public_url(row.source_url),
            read_at=row.read_at,
        )
        for row in rows
    ]
    checks = [
        RegistryAnswer(
            registry=row.registry,
            artifact=TARGET_PREFIX.sub("", row.artifact),
            noun=ARTIFACT_NOUNS.get(row.registry, "artifact"),
            checked_url=public_url(row.checked_url),
            found=row.found,
            checked_at=row.checked_at,
        )
        for row in ToolRegistryCheck.objects.filter(tool=tool).order_by("registry")
    ]
    return ToolProvenance(
        sources=sources,
        changes=changes,
        change_count=rows[0].total if rows else 0,
        checks=checks,
        conflicts=conflicts_of(tool, sources),
        editorial_at=tool.updated_at,
    )
