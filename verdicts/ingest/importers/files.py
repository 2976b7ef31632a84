"""A local file of tools in the starter format (`catalog/starter/tools/*.toml`): TOML, JSON, YAML.

A file holds one tool (the starter files' own shape: its fields at the top level), or several:
a JSON or YAML list, or a `tool` list (`[[tool]]` in TOML, `{"tool": [...]}` in JSON, `tool:` in
YAML, read with the safe loader: no tags that build objects). Each entry is
validated on its own, so a bad one is refused and the others are read. The starter fields that
are not tool facts here (plans, reviews, facts, docs_url, open_weights, launch_date,
entry_tier) are accepted and not imported; `package` (a package index name) may be added.

A local feed (`.xml`, `.rss`, `.atom`) is read as a fetched one is (verdicts.ingest.importers.
feed): each entry is imported from its http(s) link.
"""

import datetime
import json
import tomllib
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, Field, ValidationError

from verdicts.common.datafiles import Strict
from verdicts.common.templatetags.links import web_url
from verdicts.ingest.importers.base import (
    Importer,
    ImportRefused,
    Refusal,
    ToolFacts,
    read_now,
    sourced,
)
from verdicts.ingest.importers.feed import feed_items

SUFFIXES = {".json", ".toml", ".yaml", ".yml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
MAX_BYTES = 5_000_000
NOT_A_WEB_URL = "Enter a valid URL."


def web_url_or_blank(value: str) -> str:
    """An http(s) URL with a host, or nothing: a file's `javascript:` link is refused here."""
    if value and not web_url(value):
        raise ValueError(NOT_A_WEB_URL)
    return value


WebUrl = Annotated[str, AfterValidator(web_url_or_blank)]


class VendorEntry(Strict):
    slug: str = ""
    name: str
    homepage: WebUrl = ""


class FileToolEntry(Strict):
    """A starter tool entry (core/starter.py's ToolEntry), read as an importer reads it."""

    slug: str = Field(min_length=1)
    name: str = Field(min_length=1)
    category: str
    vendor: VendorEntry
    tagline: str = Field(min_length=1)
    description: str = Field(min_length=1)
    homepage: WebUrl = ""
    docs_url: str = ""
    repository_url: WebUrl = ""
    licence: str = ""
    package: str = ""
    open_weights: bool = False
    launch_date: datetime.date | None = None
    entry_tier: str | None = None
    facts: dict[str, str] = {}
    plans: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []


def entries_from(data: object) -> list[object]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("tool"), list) and "slug" not in data:
        return data["tool"]
    if isinstance(data, dict):
        return [data]
    raise ImportRefused("holds neither a tool, a list of tools nor a `tool` list")


def validation_reason(error: ValidationError) -> str:
    """Pydantic's errors on one line: `field: message; field: message`."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "entry"
        message = problem["msg"]
        if problem["type"] == "value_error":
            message = str(problem["ctx"]["error"])  # our own check's words, no "Value error, "
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


class FileImporter(Importer):
    name = "file"

    def can_import(self, target: str) -> bool:
        suffix = Path(target).suffix.lower()
        return suffix in SUFFIXES | FEED_SUFFIXES and Path(target).is_file()

    def read(self, target: str) -> list[ToolFacts | Refusal]:
        path = Path(target)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ImportRefused(f"is larger than {MAX_BYTES} bytes")
            data = path.read_bytes()
        except OSError as error:
            raise ImportRefused(f"cannot be read: {error.strerror or error}") from error
        if path.suffix.lower() in FEED_SUFFIXES:
            return feed_items(data, feed_url=path.resolve().as_uri())
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRefused(f"is not UTF-8 text (byte offset {error.start})") from error
        try:
            data = structured_load(text, suffix=path.suffix.lower())
        except (json.JSONDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as error:
            reason = " ".join(str(error).split())
            raise ImportRefused(f"is not valid {path.suffix[1:].upper()}: {reason}") from error
        source = path.resolve().as_uri()
        read_at = read_now()
        results: list[ToolFacts | Refusal] = []
        for number, raw in enumerate(entries_from(data), start=1):
            where = f"{target}#{number}"
            try:
                entry = FileToolEntry.model_validate(raw)
            except ValidationError as error:
                results.append(Refusal(target=where, reason=validation_reason(error)))
                continue
            results.append(entry_facts(entry, where=where, source=source, read_at=read_at))
        return results


def structured_load(text: str, *, suffix: str) -> object:
    if suffix == ".json":
        return json.loads(text)
    if suffix == ".toml":
        return tomllib.loads(text)
    return yaml.safe_load(text)


def entry_facts(
    entry: FileToolEntry, *, where: str, source: str, read_at: datetime.datetime
) -> ToolFacts:
    def fact(value):
        return sourced(value, source, read_at)

    return ToolFacts(
        target=where,
        name=fact(entry.name),
        slug_hint=entry.slug,
        category_hint=entry.category,
        vendor_hint=entry.vendor.name,
        vendor_homepage=entry.vendor.homepage,
        tagline=fact(entry.tagline),
        description=fact(entry.description),
        homepage=fact(entry.homepage),
        repository_url=fact(entry.repository_url),
        package_name=fact(entry.package),
        licence=fact(entry.licence),
    )
