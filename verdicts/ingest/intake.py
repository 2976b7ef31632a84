"""Writes of imported tool facts: a new draft, or the facts that changed, with their history.

`tool_facts_import` takes what one source said about one tool (`ToolFacts`) and, in one
transaction, creates the tool as a draft or updates the facts that changed, recording each
change (`ToolFactChange`) and each fact's current source and read date (`ToolFactSource`).

An editor's value wins: a tool field is updated only when it is empty or still holds the value
an import last recorded for it (so once a source has confirmed an editor's value, a later import
may change it, as a registry's licence change should). A differing source value beside an
editor's is kept in its `ToolFactSource` row, and the tool's field is left as the editor wrote it.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from verdicts.catalog.models import Category, Tool, Vendor
from verdicts.catalog.services import category_create, tool_create, vendor_get_or_create
from verdicts.common.content_versions import CATALOG, content_changed
from verdicts.ingest.identity import fact_match_key, tool_match, url_key
from verdicts.ingest.importers.base import (
    TOOL_FIELD_FACTS,
    ArtifactMissing,
    Sourced,
    ToolFacts,
)
from verdicts.ingest.models import ToolFactChange, ToolFactSource, ToolRegistryCheck
from verdicts.ingest.services import ImportOutcome, tool_document_import

PLACEHOLDER_CATEGORY = {
    "slug": "uncategorised",
    "name": "Uncategorised",
    "description": "Imported tools whose category is not known yet; an editor files each one "
    "in its category before publishing it.",
}
PLACEHOLDER_VENDOR = {"slug": "unknown-vendor", "name": "Unknown vendor"}
URL_FACTS = {"homepage", "repository_url"}


class FactsOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ToolImport:
    tool: Tool
    outcome: FactsOutcome
    changed: list[str] = field(default_factory=list)  # the facts that changed, in order


def fact_text(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def same_value(fact: str, a: str, b: str) -> bool:
    if fact in URL_FACTS:
        return url_key(a) == url_key(b)
    return a == b


def category_for(hint: str) -> Category:
    """The category the hint names (its slug or name, any case), else the placeholder one."""
    hint = hint.strip()
    if hint:
        for category in Category.objects.filter(slug__in=[hint, slugify(hint)]):
            return category
        category = Category.objects.filter(name__iexact=hint).first()
        if category is not None:
            return category
    category = Category.objects.filter(slug=PLACEHOLDER_CATEGORY["slug"]).first()
    return category or category_create(**PLACEHOLDER_CATEGORY)


def vendor_for(facts: ToolFacts) -> Vendor:
    name = facts.vendor_hint.strip()
    slug = slugify(name)[:50].strip("-")
    if not slug:
        return vendor_get_or_create(**PLACEHOLDER_VENDOR)
    return vendor_get_or_create(slug=slug, name=name[:120], homepage=facts.vendor_homepage)


def free_slug(base: str) -> str:
    base = (slugify(base)[:72].strip("-")) or "tool"
    slug, number = base, 1
    while Tool.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def value_of(given: Sourced | None) -> str:
    return fact_text(given.value) if given else ""


def sources_record(
    *, tool: Tool, given_facts: dict[str, Sourced], stored: dict[str, ToolFactSource]
) -> None:
    """Refresh each fact's source row: one insert for the new ones, one update for the rest."""
    new, refreshed = [], []
    for fact, given in given_facts.items():
        row = stored.get(fact) or ToolFactSource(tool=tool, fact=fact)
        row.value = fact_text(given.value)
        row.match_key = fact_match_key(fact, row.value)
        row.source_url, row.read_at = given.source_url, given.read_at
        (refreshed if row.pk else new).append(row)
    # Bulk writes send no save signals; tool pages show where each fact came from.
    content_changed(CATALOG)
    ToolFactSource.objects.bulk_create(new)
    ToolFactSource.objects.bulk_update(refreshed, ["value", "match_key", "source_url", "read_at"])


def tool_draft_create(*, facts: ToolFacts) -> Tool:
    name = facts.name.value.strip()
    tagline = value_of(facts.tagline) or name
    return tool_create(
        slug=free_slug(facts.slug_hint or name),
        name=name,
        category=category_for(facts.category_hint),
        vendor=vendor_for(facts),
        tagline=tagline,
        description=value_of(facts.description) or tagline,
        homepage=value_of(facts.homepage),
        repository_url=value_of(facts.repository_url),
        licence=value_of(facts.licence),
        status=Tool.Status.DRAFT,
    )


@transaction.atomic
def registry_answer_record(
    *, tool: Tool, registry: str, artifact: str, checked_url: str, found: bool, checked_at
) -> None:
    """Keep a registry's answer for a tool: found, or (found False) the tool is unverified."""
    ToolRegistryCheck.objects.update_or_create(
        tool=tool,
        registry=registry,
        defaults={
            "artifact": artifact,
            "checked_url": checked_url,
            "found": found,
            "checked_at": checked_at,
        },
    )


def tool_registry_missing_record(*, tool: Tool, missing: ArtifactMissing) -> None:
    """Mark a tool unverified: its registry answered that the named artifact does not exist."""
    registry_answer_record(
        tool=tool,
        registry=missing.registry,
        artifact=missing.artifact,
        checked_url=missing.checked_url,
        found=False,
        checked_at=timezone.now(),
    )


def tool_facts_import(*, facts: ToolFacts, tool: Tool | None = None) -> ToolImport:
    """Create the tool these facts describe as a draft, or update the facts that changed.

    `tool`, when given, is the tool the facts are about (a registry check of a known tool),
    and no match is made.

    One transaction a tool. When a concurrent import creates the same new tool (or its vendor
    or category) first, the clash on a unique key (in the database or in the model's checks) is
    caught and the import runs once more, now matching what the other one stored. Raises
    ValidationError (from the catalog's checks) when the facts make an invalid tool; nothing
    of this tool is then stored.
    """
    try:
        with transaction.atomic():
            return facts_apply(facts=facts, tool=tool)
    except (IntegrityError, ValidationError) as error:
        # The other import's tool fails this one's unique checks: in the database (both
        # checked before either committed), or in full_clean (the other committed first).
        # A validation error is this import's own unless the tool is now there to match.
        if isinstance(error, ValidationError) and (tool is not None or tool_match(facts) is None):
            raise
    with transaction.atomic():
        return facts_apply(facts=facts, tool=tool)


def facts_apply(*, facts: ToolFacts, tool: Tool | None) -> ToolImport:
    found = tool or tool_match(facts)
    given_facts = facts.facts()
    if found is None:
        tool = tool_draft_create(facts=facts)
        sources_record(tool=tool, given_facts=given_facts, stored={})
        extras_record(tool=tool, facts=facts)
        return ToolImport(tool=tool, outcome=FactsOutcome.CREATED)
    tool = Tool.objects.select_for_update().get(pk=found.pk)
    sources = {source.fact: source for source in ToolFactSource.objects.filter(tool=tool)}
    changed: list[str] = []
    changes: list[ToolFactChange] = []
    for fact, given in given_facts.items():
        new = fact_text(given.value)
        previous = sources.get(fact)
        if fact in TOOL_FIELD_FACTS:
            current = getattr(tool, fact)
            editorial = bool(current) and (
                previous is None or not same_value(fact, previous.value, current)
            )
            if not (same_value(fact, current, new) or editorial):
                setattr(tool, fact, new)
                changed.append(fact)
        else:
            current = previous.value if previous else ""
            if not same_value(fact, current, new):
                changed.append(fact)
        if fact in changed:
            changes.append(
                ToolFactChange(
                    tool=tool,
                    fact=fact,
                    old_value=current,
                    new_value=new,
                    source_url=given.source_url,
                    read_at=given.read_at,
                )
            )
    ToolFactChange.objects.bulk_create(changes)
    sources_record(tool=tool, given_facts=given_facts, stored=sources)
    if any(fact in TOOL_FIELD_FACTS for fact in changed):
        tool.full_clean()
        tool.save()
    if extras_record(tool=tool, facts=facts):
        changed.append("document")
    outcome = FactsOutcome.UPDATED if changed else FactsOutcome.UNCHANGED
    return ToolImport(tool=tool, outcome=outcome, changed=changed)


def extras_record(*, tool: Tool, facts: ToolFacts) -> bool:
    """Store the source's registry check and document; True when the document changed."""
    if facts.verified is not None:
        check = facts.verified
        registry_answer_record(
            tool=tool,
            registry=check.registry,
            artifact=check.artifact,
            checked_url=check.checked_url,
            found=True,
            checked_at=check.checked_at,
        )
    if facts.document is None or not facts.document.text.strip():
        return False
    stored = tool_document_import(
        tool=tool,
        title=facts.document.title[:200] or tool.name,
        text=facts.document.text[: settings.VERDICTS_DOCUMENT_MAX_CHARS],
        source_url=facts.document.source_url,
    )
    return stored.outcome == ImportOutcome.UPDATED
