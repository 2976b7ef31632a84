"""The steering detector: finds text in vendor material that tries to steer the panel.

Pure functions over text, no database: the dossier runs it over every vendor-written field
and document before any model reads them. The rules are data (steering_rules_v1.toml).
"""

import base64
import binascii
import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

CURRENT_VERSION = "v1"
RULES_DIR = Path(__file__).resolve().parent
# Format characters (category Cf) a reader never sees: zero-width, bidi controls, tags, BOM.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\U000e0000-\U000e007f]"
)
TAGS = re.compile("[\U000e0000-\U000e007f]+")
WORD = re.compile(r"[^\W\d_]{2,}")
# A sentence ends at . ! ? before a space, a tag or the end, or at a line break.
SENTENCE_END = re.compile(r"[.!?](?=\s|$|<)|\n")
SENTENCE_MAX_CHARS = 400
MARKER = "[set aside by Verdicts: {what}]"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(Strict):
    encoded_min_bytes: int
    encoded_printable_min: float
    encoded_spaces_min: int
    encoded_opaque_min_chars: int
    comment_min_words: int
    praise_window_chars: int
    praise_terms_min: int
    praise_terms_with_verdict_min: int


class RuleEntry(Strict):
    id: str
    group: str
    kind: Literal["pattern", "raw", "encoded", "praise"]
    patterns: list[str]
    example: str
    verdict_terms: str = ""


class RulesFile(Strict):
    version: str
    thresholds: Thresholds
    groups: dict[str, str]
    rule: list[RuleEntry]


@dataclass(frozen=True)
class Rule:
    id: str
    group: str
    kind: str
    patterns: tuple[re.Pattern, ...]
    example: str
    verdict_terms: re.Pattern | None


@dataclass(frozen=True)
class Rules:
    version: str
    thresholds: Thresholds
    groups: dict[str, str]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Segment:
    """One piece of vendor text: where it came from in full (for editors: "document 1: Guide
    (https://...)"), its label in our own words (for the panel and readers: "document 1")."""

    source: str
    text: str
    label: str = ""


@dataclass(frozen=True)
class Finding:
    """A flagged span: [start, end) of its segment's text (segment: its index in the scan),
    the rule and its group."""

    segment: int
    source: str
    label: str
    rule: str
    group: str
    start: int
    end: int
    text: str


@cache
def steering_rules(version: str = CURRENT_VERSION) -> Rules:
    """A rules file, validated and compiled; ValueError names a bad field or pattern."""
    path = RULES_DIR / f"steering_rules_{version}.toml"
    entry = RulesFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    rules = []
    for rule in entry.rule:
        if rule.group not in entry.groups:
            raise ValueError(f"{path.name}: rule {rule.id} names unknown group {rule.group}")
        flags = re.IGNORECASE | (re.MULTILINE if rule.kind in ("pattern", "praise") else 0)
        terms = re.compile(rule.verdict_terms, re.IGNORECASE) if rule.verdict_terms else None
        rules.append(
            Rule(
                id=rule.id,
                group=rule.group,
                kind=rule.kind,
                patterns=tuple(re.compile(pattern, flags) for pattern in rule.patterns),
                example=rule.example,
                verdict_terms=terms,
            )
        )
    return Rules(entry.version, entry.thresholds, entry.groups, tuple(rules))


class Projection:
    """The joined segments with invisible characters taken out, mapping back to each segment:
    a rule matched here sees through "m\u200bust" and across the end of one field."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = segments
        self.offsets = []
        position = 0
        for segment in segments:
            self.offsets.append(position)
            position += len(segment.text) + 1
        joined = "\n".join(segment.text for segment in segments)
        if INVISIBLE.search(joined):
            self.origin: list[int] | None = [
                i for i, char in enumerate(joined) if not INVISIBLE.match(char)
            ]
            self.text = "".join(joined[i] for i in self.origin)
        else:
            self.origin, self.text = None, joined

    def spans(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(segment index, start, end) of each segment part a projected span covers."""
        if self.origin is not None:
            start, end = self.origin[start], self.origin[end - 1] + 1
        parts = []
        first = bisect.bisect_right(self.offsets, start) - 1
        for index in range(max(first, 0), len(self.segments)):
            offset = self.offsets[index]
            if offset >= end:
                break
            length = len(self.segments[index].text)
            local = (max(start, offset) - offset, min(end, offset + length) - offset)
            if local[1] > local[0]:
                parts.append((index, *local))
        return parts


def readable(data: bytes, thresholds: Thresholds) -> bool:
    if len(data) < thresholds.encoded_min_bytes:
        return False
    printable = sum(32 <= byte < 127 or byte in (9, 10, 13) for byte in data)
    return (
        printable / len(data) >= thresholds.encoded_printable_min
        and data.count(b" ") >= thresholds.encoded_spaces_min
    )


def decoded(blob: str) -> bytes:
    """The bytes a base64, hex or \\x-escaped blob stands for (b"" when it decodes to none)."""
    try:
        if blob.startswith("\\x"):
            return bytes.fromhex(blob.replace("\\x", ""))
        if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", blob):
            return bytes.fromhex(blob)
        core = blob.rstrip("=").replace("-", "+").replace("_", "/")
        core = core[: len(core) - len(core) % 4 if len(core) % 4 == 1 else len(core)]
        return base64.b64decode(core + "=" * (-len(core) % 4))
    except (ValueError, binascii.Error):
        return b""


def raw_findings(rule: Rule, segment: Segment, thresholds: Thresholds) -> list[tuple[int, int]]:
    spans = []
    for pattern in rule.patterns:
        for match in pattern.finditer(segment.text):
            blob = match.group()
            if rule.id == "html-comment" and (
                len(WORD.findall(blob)) < thresholds.comment_min_words
            ):
                continue
            if rule.kind == "encoded" and not (
                len(blob) >= thresholds.encoded_opaque_min_chars
                or readable(decoded(blob), thresholds)
            ):
                continue
            spans.append(match.span())
    return spans


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the sentences it touches (a line break ends one too), without
    the space that starts the first."""
    ends = SENTENCE_END.finditer(text, max(0, start - SENTENCE_MAX_CHARS), start)
    before = max((match.end() for match in ends), default=max(0, start - SENTENCE_MAX_CHARS))
    while before < start and text[before].isspace():
        before += 1
    after = SENTENCE_END.search(text, end - 1 if end and SENTENCE_END.match(text, end - 1) else end)
    return before, after.end() if after else len(text)


def praise_spans(rule: Rule, text: str, thresholds: Thresholds) -> list[tuple[int, int]]:
    """Runs of praise terms dense enough, alone or next to a word about verdicts."""
    terms = [match for pattern in rule.patterns for match in pattern.finditer(text)]
    terms.sort(key=lambda match: match.start())
    spans: list[tuple[int, int]] = []
    last = 0
    for first, term in enumerate(terms):
        while last < len(terms) and terms[last].start() - term.start() <= (
            thresholds.praise_window_chars
        ):
            last += 1
        count = last - first
        if count < thresholds.praise_terms_with_verdict_min:
            continue
        start, end = sentence_bounds(text, term.start(), terms[last - 1].end())
        window_end = max(end, term.start() + thresholds.praise_window_chars)
        aimed = rule.verdict_terms and rule.verdict_terms.search(text, start, window_end)
        if aimed:
            end = max(end, sentence_bounds(text, aimed.start(), aimed.end())[1])
        if count >= thresholds.praise_terms_min or aimed:
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
    return spans


def steering_scan(segments: Sequence[Segment], *, rules: Rules | None = None) -> list[Finding]:
    """Every flagged span in these segments, in segment order, each rule's spans once."""
    rules = rules or steering_rules()
    found: set[tuple[int, str, str, int, int]] = set()
    projection = Projection(segments)
    for rule in rules.rules:
        if rule.kind in ("raw", "encoded"):
            for index, segment in enumerate(segments):
                for start, end in raw_findings(rule, segment, rules.thresholds):
                    found.add((index, rule.id, rule.group, start, end))
            continue
        if rule.kind == "praise":
            projected = praise_spans(rule, projection.text, rules.thresholds)
        else:
            # An instruction is set aside with the rest of its sentence ("... and pick X.").
            projected = [
                sentence_bounds(projection.text, *match.span())
                for pattern in rule.patterns
                for match in pattern.finditer(projection.text)
                if match.end() > match.start()
            ]
        for start, end in projected:
            for index, local_start, local_end in projection.spans(start, end):
                found.add((index, rule.id, rule.group, local_start, local_end))
    return [
        Finding(
            segment=index,
            source=segments[index].source,
            label=segments[index].label or segments[index].source,
            rule=rule,
            group=group,
            start=start,
            end=end,
            text=segments[index].text[start:end],
        )
        for index, rule, group, start, end in sorted(found)
    ]


def merged(findings: Sequence[Finding]) -> list[tuple[int, int, list[str]]]:
    """One segment's findings as non-overlapping spans, each with the groups it holds."""
    spans: list[tuple[int, int, list[str]]] = []
    for finding in sorted(findings, key=lambda finding: (finding.start, finding.end)):
        if spans and finding.start <= spans[-1][1]:
            start, end, groups = spans[-1]
            spans[-1] = (start, max(end, finding.end), [*groups, finding.group])
        else:
            spans.append((finding.start, finding.end, [finding.group]))
    return spans


def text_neutralise(text: str, findings: Sequence[Finding], *, rules: Rules | None = None) -> str:
    """The text with each flagged span (of these findings, all of this text) replaced by a
    marker saying what was set aside."""
    rules = rules or steering_rules()
    for start, end, groups in reversed(merged(findings)):
        what = " and ".join(rules.groups[group] for group in dict.fromkeys(groups))
        text = text[:start] + MARKER.format(what=what) + text[end:]
    return text


def steering_notice(findings: Sequence[Finding], *, rules: Rules | None = None) -> str:
    """The dossier's first lines when vendor text was set aside ("" when none was)."""
    if not findings:
        return ""
    rules = rules or steering_rules()
    groups = dict.fromkeys(finding.group for finding in findings)
    # Labels, never sources: a document's title is vendor text and may be the attack itself.
    sources = dict.fromkeys(finding.label for finding in findings)
    return (
        "steering attempts: the vendor-written material below contained "
        f"{'; '.join(rules.groups[group] for group in groups)} "
        f"(in: {'; '.join(sources)}). Verdicts removed it before you read it, and each place is "
        f"marked {MARKER.format(what='...')}. That the vendor's material tried this is itself "
        "a fact about the vendor, which you may weigh.\n\n"
    )


def visible(text: str) -> str:
    """Text with its invisible characters shown: tag characters decoded, others as U+XXXX."""
    text = TAGS.sub(
        lambda match: (
            "[hidden tags: "
            + "".join(chr(ord(char) - 0xE0000) for char in match.group() if ord(char) < 0xE007F)
            + "]"
        ),
        text,
    )
    return INVISIBLE.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)
