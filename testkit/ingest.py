"""Ingest test helpers: a tool's fact sources, change history and registry checks, stored as
imports store them, in any number (to prove a page's query count does not grow with them)."""

import datetime

from verdicts.catalog.models import Tool
from verdicts.ingest.models import ToolFactChange, ToolFactSource, ToolRegistryCheck

READ_AT = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
SOURCE = "https://registry.example/widget.json"


def provenance_grow(tool: Tool, *, facts: int, changes: int, checks: int = 1) -> None:
    """`facts` sourced facts, `changes` recorded changes (the later, the newer) and `checks`
    registry answers (all found) for a tool."""
    ToolFactSource.objects.bulk_create(
        ToolFactSource(
            tool=tool, fact=f"fact_{n}", value=f"value {n}", source_url=SOURCE, read_at=READ_AT
        )
        for n in range(facts)
    )
    ToolFactChange.objects.bulk_create(
        ToolFactChange(
            tool=tool,
            fact="version",
            old_value=f"1.{n}",
            new_value=f"1.{n + 1}",
            source_url=SOURCE,
            read_at=READ_AT + datetime.timedelta(hours=n),
        )
        for n in range(changes)
    )
    ToolRegistryCheck.objects.bulk_create(
        ToolRegistryCheck(
            tool=tool,
            registry=f"Registry {n}",
            artifact=f"widget-{n}",
            checked_url=f"{SOURCE}?check={n}",
            found=True,
            checked_at=READ_AT,
        )
        for n in range(checks)
    )


def fact_source_add(tool: Tool, fact: str, value: str, *, source_url: str = SOURCE):
    return ToolFactSource.objects.create(
        tool=tool, fact=fact, value=value, source_url=source_url, read_at=READ_AT
    )


def registry_check_add(
    tool: Tool,
    *,
    registry: str = "GitHub",
    artifact: str = "github:acme/widget",
    checked_url: str = "https://api.github.com/repos/acme/widget",
    found: bool = False,
):
    return ToolRegistryCheck.objects.create(
        tool=tool,
        registry=registry,
        artifact=artifact,
        checked_url=checked_url,
        found=found,
        checked_at=READ_AT,
    )
