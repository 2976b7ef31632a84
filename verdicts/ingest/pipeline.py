"""Import runs: a target read by its importer, each tool stored, then checked at its registries.

`verdicts import`, `verdicts sources run` and `verdicts verify` go through here, so they print
the same lines. Each tool is stored in its own transaction (`tool_facts_import`): a refused
entry stores nothing of itself and the rest goes on.

A tool is checked at each registry its recorded facts name (a GitHub repository, a Hub model, a
package) the first time an import sees it; a registry's answer that the artifact does not exist
marks it unverified. An outage or a rate limit records nothing: the check is tried next time.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from verdicts.catalog.models import Tool
from verdicts.ingest.importers import (
    ArtifactMissing,
    ImportRefused,
    Refusal,
    ToolFacts,
    importer_for,
)
from verdicts.ingest.importers.registry import registry_targets_for
from verdicts.ingest.intake import FactsOutcome, tool_facts_import, tool_registry_missing_record
from verdicts.ingest.models import ToolFactSource, ToolRegistryCheck

# The registry each kind of registry target is checked at, as ToolRegistryCheck names it.
REGISTRY_OF_PREFIX = {"github:": "GitHub", "hf:": "Hugging Face Hub", "pypi:": "package index"}


class LineKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class ImportLine:
    """One line of an import's summary: what happened to a tool or a target."""

    kind: LineKind
    subject: str  # a tool's slug, or the target or entry that was refused
    detail: str = ""

    def __str__(self) -> str:
        if self.kind in (LineKind.REFUSED, LineKind.UNVERIFIED):
            return f"{self.kind} {self.subject}: {self.detail}"
        return f"{self.kind} {self.subject}" + (f" ({self.detail})" if self.detail else "")


def validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def facts_store(*, facts: ToolFacts, tool: Tool | None = None) -> tuple[ImportLine, Tool | None]:
    """Store one tool's facts; the summary line and the tool (None when refused)."""
    try:
        result = tool_facts_import(facts=facts, tool=tool)
    except ValidationError as error:
        return ImportLine(LineKind.REFUSED, facts.target, validation_reason(error)), None
    except DatabaseError as error:
        return ImportLine(LineKind.REFUSED, facts.target, str(error).splitlines()[0]), None
    detail = ", ".join(result.changed) if result.outcome == FactsOutcome.UPDATED else ""
    return ImportLine(LineKind(result.outcome.value), result.tool.slug, detail), result.tool


def items_import(
    *, items: Iterable[ToolFacts | Refusal], check_registries: bool = True
) -> Iterator[ImportLine]:
    """Store each item read from a target, checking new tools at their registries."""
    for item in items:
        if isinstance(item, Refusal):
            yield ImportLine(LineKind.REFUSED, item.target, item.reason)
            continue
        line, tool = facts_store(facts=item)
        yield line
        if tool is not None and check_registries:
            yield from tool_registries_check(tool=tool, only_unchecked=True)


def target_import(*, target: str, check_registries: bool = True) -> Iterator[ImportLine]:
    """Read a target (a file, a registry name, a URL) and store every tool it gives."""
    try:
        items = importer_for(target).read(target)
    except ImportRefused as error:
        yield ImportLine(LineKind.REFUSED, target, str(error))
        return
    yield from items_import(items=items, check_registries=check_registries)


def tools_registry_targets(*, tools: Sequence[Tool], only_unchecked: bool) -> dict[int, list[str]]:
    """Each tool's registry targets (its repository, Hub model and package); with
    `only_unchecked`, one a registry and none the registry already answered for. Two queries
    however many tools."""
    ids = [tool.pk for tool in tools]
    recorded: dict[int, dict[str, str]] = defaultdict(dict)
    facts = ToolFactSource.objects.filter(tool_id__in=ids, fact__in=["hub_id", "package_name"])
    for tool_id, fact, value in facts.order_by("pk").values_list("tool_id", "fact", "value"):
        recorded[tool_id][fact] = value
    checked: dict[int, set[str]] = defaultdict(set)
    if only_unchecked:
        answered = ToolRegistryCheck.objects.filter(tool_id__in=ids)
        for tool_id, registry in answered.values_list("tool_id", "registry"):
            checked[tool_id].add(registry)
    wanted = {}
    for tool in tools:
        facts_of = recorded[tool.pk]
        targets = registry_targets_for(
            homepage=tool.homepage,
            repository_url=tool.repository_url,
            hub_id=facts_of.get("hub_id", ""),
        )
        if facts_of.get("package_name"):
            targets.append(f"pypi:{facts_of['package_name']}")
        wanted[tool.pk] = []
        for target in targets:
            registry = registry_of(target)
            if only_unchecked and registry in checked[tool.pk]:
                continue
            checked[tool.pk].add(registry)
            wanted[tool.pk].append(target)
    return wanted


def registry_of(target: str) -> str:
    return next(name for prefix, name in REGISTRY_OF_PREFIX.items() if target.startswith(prefix))


def tool_registries_check(
    *, tool: Tool, only_unchecked: bool, targets: list[str] | None = None
) -> Iterator[ImportLine]:
    """Ask each registry the tool names for its artifact; store what it says, or mark it missing.

    `only_unchecked` skips the registries that already answered for this tool (an import's
    first sight of a tool); `verdicts verify` checks them all again. `targets`, when given,
    are the tool's from `tools_registry_targets` (read for a batch of tools at once).
    """
    if targets is None:
        targets = tools_registry_targets(tools=[tool], only_unchecked=only_unchecked)[tool.pk]
    for target in targets:
        registry = registry_of(target)
        try:
            items = importer_for(target).read(target)
        except ArtifactMissing as missing:
            tool_registry_missing_record(tool=tool, missing=missing)
            yield ImportLine(
                LineKind.UNVERIFIED, tool.slug, f"{missing} (checked {missing.checked_url})"
            )
            continue
        except ImportRefused as error:
            yield ImportLine(LineKind.REFUSED, target, f"not checked: {error}")
            continue
        for item in items:
            if isinstance(item, Refusal):
                yield ImportLine(LineKind.REFUSED, item.target, item.reason)
                continue
            line, stored = facts_store(facts=item, tool=tool)
            if stored is None:
                yield line
                continue
            detail = f"at {registry}" + (f"; updated {line.detail}" if line.detail else "")
            yield ImportLine(LineKind.VERIFIED, tool.slug, detail)
