"""Writes of the steering flags: a tool's flags replaced by what the detector finds now."""

from dataclasses import dataclass

from django.db import transaction

from verdicts.catalog.models import Tool
from verdicts.common.content_versions import CATALOG, content_changed
from verdicts.panel.dossier import dossier_segments
from verdicts.panel.selectors import dossier_for_tool
from verdicts.panel.steering.detector import CURRENT_VERSION, Finding, steering_scan, visible
from verdicts.panel.steering.models import SteeringFlag

EXCERPT_MAX_CHARS = 400
CONTEXT_CHARS = 80


@dataclass(frozen=True)
class FlagsRefreshed:
    tool_id: int
    flags: int
    changed: bool


def flag_row(tool: Tool, finding: Finding, text: str) -> SteeringFlag:
    excerpt = visible(finding.text)
    if len(excerpt) > EXCERPT_MAX_CHARS:
        excerpt = excerpt[: EXCERPT_MAX_CHARS - 1] + "\u2026"
    before = text[max(0, finding.start - CONTEXT_CHARS) : finding.start]
    after = text[finding.end : finding.end + CONTEXT_CHARS]
    return SteeringFlag(
        tool=tool,
        source=finding.source[:500],
        label=finding.label[:120],
        rule=finding.rule,
        group=finding.group,
        start=finding.start,
        end=finding.end,
        excerpt=excerpt,
        context=f"{visible(before)}\u27e6{excerpt}\u27e7{visible(after)}",
        rules_version=CURRENT_VERSION,
    )


def key(flag: SteeringFlag) -> tuple:
    return (flag.source, flag.rule, flag.start, flag.end, flag.excerpt, flag.rules_version)


@transaction.atomic
def steering_flags_refresh(*, tool: Tool) -> FlagsRefreshed:
    """Scan the tool's dossier as the panel would read it and keep its flags in step: the
    flags of text that is gone are deleted, new ones added, unchanged ones kept as found."""
    segments = dossier_segments(dossier_for_tool(tool=tool))
    found = [flag_row(tool, f, segments[f.segment].text) for f in steering_scan(segments)]
    stored = {key(flag): flag for flag in SteeringFlag.objects.filter(tool=tool)}
    wanted = {key(flag): flag for flag in found}
    gone = [flag.pk for k, flag in stored.items() if k not in wanted]
    new = [flag for k, flag in wanted.items() if k not in stored]
    if gone:
        SteeringFlag.objects.filter(pk__in=gone).delete()
    SteeringFlag.objects.bulk_create(new)
    changed = bool(gone or new)
    if changed:
        # The tool page says what was set aside; its stored copy must be drawn again.
        transaction.on_commit(lambda: content_changed(CATALOG))
    return FlagsRefreshed(tool_id=tool.pk, flags=len(wanted), changed=changed)
