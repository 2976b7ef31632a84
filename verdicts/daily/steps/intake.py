"""The first steps: import from each configured source, check unchecked tools' registries,
and fetch the logos the imports found."""

from collections import Counter

from verdicts.catalog.models import Tool
from verdicts.daily.models import DailyItem
from verdicts.daily.runs import DailyContext
from verdicts.daily.steps import LOGOS, SOURCES, TOUCHED, VERIFICATION
from verdicts.ingest.import_sources import import_source_run
from verdicts.ingest.logos import tool_logo_fetch
from verdicts.ingest.models import ImportSource
from verdicts.ingest.pipeline import (
    ImportLine,
    LineKind,
    tool_registries_check,
    tools_registry_targets,
)

# Tools whose outstanding registry checks are read together.
VERIFICATION_BATCH = 500


def tool_touched_record(*, context: DailyContext, line: ImportLine) -> None:
    """Remember a created or updated tool as soon as its line is printed, so a run killed
    half-way through a source still knows which tools were new once it is resumed."""
    if line.kind not in (LineKind.CREATED, LineKind.UPDATED):
        return
    known = context.item(TOUCHED, line.subject)
    if known is not None and known.data.get("kind") == LineKind.CREATED:
        return
    context.record(TOUCHED, line.subject, data={"kind": str(line.kind), "detail": line.detail})


def sources_step(context: DailyContext) -> None:
    """Import every configured source once a run; a failing source is noted and the rest go on."""
    for source in ImportSource.objects.order_by("target"):
        if context.is_done(SOURCES, source.target):
            continue

        def on_line(line: ImportLine) -> None:
            context.say(str(line))
            tool_touched_record(context=context, line=line)

        try:
            outcome = import_source_run(source=source, on_line=on_line)
        except Exception as error:
            context.error(SOURCES, source.target, error)
            continue
        unread = [line.detail for line in outcome.lines if line.subject == source.target]
        if outcome.busy or unread:
            # The source itself could not be read: an error, tried again by a resumed run.
            context.error(SOURCES, source.target, unread[0] if unread else outcome.summary)
            continue
        counts = Counter(str(line.kind) for line in outcome.lines)
        refused = [str(line) for line in outcome.lines if line.kind == LineKind.REFUSED]
        context.say(f"{source.target}: {outcome.summary}")
        context.record(
            SOURCES,
            source.target,
            data={"summary": outcome.summary, "counts": counts, "refused": refused},
        )


def verification_step(context: DailyContext) -> None:
    """Ask the registries about every tool they have not answered for yet, a batch of tools
    at a time: what each has left to check is read for the whole batch in fixed queries."""
    last = 0
    while batch := list(Tool.objects.filter(pk__gt=last).order_by("pk")[:VERIFICATION_BATCH]):
        last = batch[-1].pk
        tools = [tool for tool in batch if not context.is_done(VERIFICATION, tool.slug)]
        targets = tools_registry_targets(tools=tools, only_unchecked=True)
        for tool in tools:
            if targets[tool.pk]:
                tool_verify(context=context, tool=tool, targets=targets[tool.pk])


def tool_verify(*, context: DailyContext, tool: Tool, targets: list[str]) -> None:
    try:
        lines = list(tool_registries_check(tool=tool, only_unchecked=True, targets=targets))
    except Exception as error:
        context.error(VERIFICATION, tool.slug, error)
        return
    for line in lines:
        context.say(str(line))
    if lines:
        # A tool with nothing left to check costs nothing to look at again.
        counts = Counter(str(line.kind) for line in lines)
        context.record(
            VERIFICATION, tool.slug, data={"counts": counts, "lines": list(map(str, lines))}
        )


def logos_step(context: DailyContext) -> None:
    """Fetch, once, the logo of each tool this run's imports created or updated."""
    touched = tools_touched(context=context)
    for tool in Tool.objects.filter(slug__in=touched).order_by("pk"):
        if context.is_done(LOGOS, tool.slug):
            continue
        try:
            said = tool_logo_fetch(tool=tool)
        except Exception as error:
            context.error(LOGOS, tool.slug, error)
            continue
        if said:
            context.say(f"logo {tool.slug}: {said}")
        context.record(LOGOS, tool.slug, data={"said": said})


def tools_touched(*, context: DailyContext) -> dict[str, str]:
    """The slugs of the tools this run's imports created or updated, with which."""
    items = DailyItem.objects.filter(run=context.run, step=TOUCHED).values_list("key", "data")
    return {slug: data.get("kind", "") for slug, data in items}
