"""A tool's specifications: the few facts every tool can be compared on, one row each.

Tools state their facts under many keys ("context", "context_window", "ctx") and in many
units ("128K tokens", "128000", "128k"). At read time each key is folded onto one row and each
value onto one way of writing it, so a row of the grid means the same thing in every column.
Nothing here queries: the caller hands in the tool and the sources already read.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from verdicts.catalog.models import Tool

EDITORS = "Verdicts editors"
IMPORTED_FILE = "an imported file"

CONTEXT_WINDOW = "context_window"
PARAMETERS = "parameters"
LICENCE = "licence"
OPEN_WEIGHTS = "open_weights"
MODALITIES = "modalities"
DEPLOYMENT = "deployment"
LAUNCH_DATE = "launch_date"
AVAILABILITY = "availability"

# The grid's rows, in the order a reader scans them.
ROWS: dict[str, str] = {
    CONTEXT_WINDOW: "Context window",
    PARAMETERS: "Parameters",
    LICENCE: "Licence",
    OPEN_WEIGHTS: "Open weights",
    MODALITIES: "Modalities",
    DEPLOYMENT: "Deployment",
    LAUNCH_DATE: "Launch date",
    AVAILABILITY: "Availability",
}
# Keys tools and importers use for a row's fact, folded (see spec_key); the row's own key
# is first, so when a tool states two of them the canonical one wins.
ALIASES: dict[str, tuple[str, ...]] = {
    CONTEXT_WINDOW: (
        "context_window",
        "context",
        "ctx",
        "context_length",
        "context_size",
        "max_context",
        "max_context_length",
        "n_ctx",
    ),
    PARAMETERS: (
        "parameters",
        "params",
        "parameter_count",
        "num_parameters",
        "n_params",
        "model_size",
    ),
    LICENCE: ("licence", "license"),
    OPEN_WEIGHTS: ("open_weights", "weights_open"),
    MODALITIES: ("modalities", "modality", "modes"),
    DEPLOYMENT: ("deployment", "deploy", "runs_on", "platforms", "deployment_options"),
    LAUNCH_DATE: ("launch_date", "release_date", "released", "launched", "release"),
    AVAILABILITY: ("availability", "available_on", "access"),
}
ROW_OF_KEY = {alias: row for row, aliases in ALIASES.items() for alias in aliases}

COUNT = re.compile(
    r"^~?\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>k|m|b|t|thousand|million|billion|trillion)?"
    r"(?![a-z])\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
SCALES |= {"t": 1e12, "trillion": 1e12}
SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
# Words after a count that only repeat the row's unit: "128K tokens", "3B parameters".
UNIT_WORDS = {CONTEXT_WINDOW: ("tokens", "token"), PARAMETERS: ("parameters", "params")}
TRUE_WORDS = ("yes", "true", "open", "1")
FALSE_WORDS = ("no", "false", "closed", "0")


class SourcedFact(Protocol):
    """Where one of a tool's facts was last read (verdicts.ingest's FactSource has this shape)."""

    fact: str
    value: str
    source_url: str
    read_at: datetime.datetime


@dataclass(frozen=True)
class SpecCell:
    """One tool's value for one row, with its source; value "" is "not stated"."""

    value: str
    source: str  # EDITORS, the source's URL or IMPORTED_FILE; "" when not stated
    source_url: str  # "" for the editors, an imported file, or when not stated
    at: datetime.datetime | None  # when the editors updated it or the source was read

    @property
    def stated(self) -> bool:
        return bool(self.value)


NOT_STATED = SpecCell(value="", source="", source_url="", at=None)


@dataclass(frozen=True)
class SpecRow:
    """One row of the grid: a fact and each tool's cell for it, in the tools' order."""

    key: str
    label: str
    cells: tuple[SpecCell, ...]


def fold_key(key: str) -> str:
    """ "contextWindow", "Context-Window", "context window" -> "context_window"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(key).strip())
    return re.sub(r"[\s\-.]+", "_", spaced.casefold()).strip("_")


def spec_key(key: str) -> str:
    """The row a fact key belongs to ("ctx", "contextWindow" -> "context_window"), or ""."""
    return ROW_OF_KEY.get(fold_key(key), "")


def count_text(number: float) -> str:
    """128000 -> "128K", 1e6 -> "1M", 3.07e9 -> "3.07B", 512 -> "512"."""
    for size, suffix in SUFFIXES:
        if number >= size:
            return f"{number / size:.3g}{suffix}"
    return f"{number:.3g}"


def tokens_text(number: float) -> str:
    """A token count as vendors write it: 131072 (128 x 1024) -> "128K", 1048576 -> "1M",
    128000 -> "128K"."""
    if number >= 1024 and number % 1024 == 0 and number % 1000:
        if number >= 1024**2 and number % 1024**2 == 0:
            return f"{number / 1024**2:.3g}M"
        return f"{number / 1024:.4g}K"
    return count_text(number)


def count_value(row: str, text: str) -> str:
    """A count written one way: "128k", "128,000 tokens" -> "128K tokens"; "70B (dense)" ->
    "70B (dense)". Text that does not start with a count is kept as it is."""
    match = COUNT.match(text)
    if match is None:
        return text
    number = float(match["number"].replace(",", ""))
    number *= SCALES.get((match["scale"] or "").casefold(), 1)
    rest = match["rest"].strip()
    units = UNIT_WORDS[row]
    if rest.casefold().split(" ")[0] in units:
        rest = rest.split(" ", 1)[1].strip() if " " in rest else ""
    # A second count ("128K tokens, 1M in beta") is the source's own wording: keep it whole.
    if rest and not rest.startswith("("):
        return text
    head = tokens_text(number) + " tokens" if row == CONTEXT_WINDOW else count_text(number)
    return f"{head} {rest}".strip()


def date_value(value: object) -> str:
    """A date as ISO 8601 ("2024-12-06"); a datetime keeps its date; other text as it is."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return text


def yes_no_value(value: object) -> str:
    """True, "yes", "open" -> "Yes"; False, "no" -> "No"; other text as it is."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value).strip()
    if text.casefold() in TRUE_WORDS:
        return "Yes"
    if text.casefold() in FALSE_WORDS:
        return "No"
    return text


def spec_value(row: str, value: object) -> str:
    """A row's value written one way; "" when it says nothing."""
    if value is None:
        return ""
    if row == OPEN_WEIGHTS:
        return yes_no_value(value)
    if row == LAUNCH_DATE:
        return date_value(value)
    text = re.sub(r"\s+", " ", str(value)).strip()
    if row in UNIT_WORDS:
        return count_value(row, text)
    return text


def _best_by_row(pairs: Iterable[tuple[str, object]]) -> dict[str, tuple[str, str]]:
    """Each row's stated value and the key it was stated under, from (key, value) pairs; of
    two keys for one row the one earlier in its aliases wins."""
    found: dict[str, tuple[int, str, str]] = {}
    for key, value in pairs:
        folded = fold_key(key)
        row = ROW_OF_KEY.get(folded, "")
        text = spec_value(row, value) if row else ""
        if not text:
            continue
        rank = ALIASES[row].index(folded)
        if row not in found or rank < found[row][0]:
            found[row] = (rank, text, key)
    return {row: (text, key) for row, (_, text, key) in found.items()}


def _sourced_cell(source: SourcedFact, value: str) -> SpecCell:
    return SpecCell(
        value=value,
        source=source.source_url or IMPORTED_FILE,
        source_url=source.source_url,
        at=source.read_at,
    )


def tool_specs(*, tool: Tool, sources: Sequence[SourcedFact] = ()) -> dict[str, SpecCell]:
    """Each row's cell for a tool: the tool's own value, credited to the source that gives the
    same value when one does, else to the editors; a source's value when the tool has none."""
    own = _best_by_row(
        [
            *((tool.facts or {}).items()),
            (LICENCE, tool.licence),
            (OPEN_WEIGHTS, tool.open_weights),
            (LAUNCH_DATE, tool.launch_date),
        ]
    )
    by_fact = {source.fact: source for source in sources}
    sourced = _best_by_row((source.fact, source.value) for source in sources)
    cells = {}
    for row in ROWS:
        if row in own:
            value, _ = own[row]
            source_value, fact = sourced.get(row, ("", ""))
            if source_value.casefold() == value.casefold():
                cells[row] = _sourced_cell(by_fact[fact], value)
            else:
                cells[row] = SpecCell(
                    value=value, source=EDITORS, source_url="", at=tool.updated_at
                )
        elif row in sourced:
            value, fact = sourced[row]
            cells[row] = _sourced_cell(by_fact[fact], value)
        else:
            cells[row] = NOT_STATED
    return cells


def spec_rows(*, tools: Sequence[dict[str, SpecCell]]) -> list[SpecRow]:
    """The grid: every row, each with one cell a tool in the order given."""
    return [
        SpecRow(key=row, label=label, cells=tuple(cells[row] for cells in tools))
        for row, label in ROWS.items()
    ]
