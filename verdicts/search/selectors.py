"""Full-text search over published tools and comparisons, ranked, on SQLite or PostgreSQL."""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate

from verdicts.catalog.models import Comparison, Tool
from verdicts.search.schema import COMPARISON_TABLE, TOOL_TABLE

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 8
# A word is a run of letters and digits, as both indexes split text; everything else,
# quotes and operators included, only separates words and never reaches the index.
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchResults:
    """Published tools (category, vendor and plans loaded) and comparisons (both tools
    loaded) that match every word, best first."""

    terms: list[str]
    tools: list[Tool]
    comparisons: list[Comparison]


def search_terms(*, text: str) -> list[str]:
    """The words of a query, lowercased, each once, at most SEARCH_MAX_TERMS."""
    text = unicodedata.normalize("NFKC", text[:SEARCH_MAX_LENGTH]).lower()
    return list(dict.fromkeys(WORD.findall(text)))[:SEARCH_MAX_TERMS]


@dataclass(frozen=True)
class Index:
    """One of the two indexes: its table, the catalog table its rowid points at, that
    table's name field, and its FTS5 columns by tier: the item's own name first, then each
    next field class that may hold the words. On PostgreSQL tier n is weights A to the n-th
    letter, which the document gives the same fields."""

    table: str
    items: str
    name: str
    tiers: tuple[tuple[str, ...], ...]


TOOLS = Index(
    TOOL_TABLE,
    "catalog_tool",
    "name",
    (("name",), ("tagline",), ("category", "vendor"), ("description",)),
)
COMPARISONS = Index(
    COMPARISON_TABLE,
    "compare_comparison",
    "title",
    (("title",), ("tools",), ("taglines",), ("vendors", "categories")),
)
WEIGHTS = "ABCD"
# Tiers rank above ids in one integer: tier * TIER_SPAN + position in the tier.
TIER_SPAN = 2**40


def fts5_expression(terms: list[str]) -> str:
    # Terms hold only letters and digits, so quoting each makes it a plain prefix phrase.
    return " ".join(f'"{term}"*' for term in terms)


def tsquery(terms: list[str], *, weight: str = "") -> str:
    return " & ".join(f"'{term}':*{weight}" for term in terms)


def sqlite_ranked(index: Index, terms: list[str], limit: int) -> tuple[str, list]:
    """(rowid, place from 1) of the shown items matching every word, best `limit` first: one
    leg per tier, each read in rowid order and cut inside the index, so a common word costs
    `limit` rows, not every match; only name hits (tier 0) are sorted, by their name's length,
    then name."""
    expression = fts5_expression(terms)
    legs, params, fields = [], [], []
    for tier, columns in enumerate(index.tiers):
        fields += columns
        match = f"visible : 1 AND {{{' '.join(fields)}}} : ({expression})"
        if tier:
            match = f"({match}) NOT {{{' '.join(fields[: -len(columns)])}}} : ({expression})"
            position, name, order = f"{tier * TIER_SPAN} + rowid", "''", "rowid"
        else:
            position, name = f"length({columns[0]})", columns[0]
            order = f"position, {name}, rowid"
        legs.append(
            f"SELECT * FROM (SELECT rowid, {position} AS position, {name} AS name "
            f"FROM {index.table} WHERE {index.table} MATCH %s ORDER BY {order} LIMIT {limit})"
        )
        params.append(match)
    # UNION ALL reads its legs in order and the LIMIT stops it: lower tiers are read only
    # while the higher ones have not filled the page. (Without OFFSET 0, SQLite folded the
    # LIMIT into the window query and read every leg to its own limit: 5x slower.)
    return (
        "SELECT rowid, row_number() OVER (ORDER BY position, name, rowid) AS place "
        f"FROM (SELECT * FROM ({' UNION ALL '.join(legs)}) LIMIT {limit} OFFSET 0)",
        params,
    )


def postgresql_position(terms: list[str], tiers: int) -> tuple[str, list]:
    """A document's position, as in sqlite_ranked: its tier is the first weight class that
    holds every word."""
    weights, cases, params = "", [], []
    for tier in range(tiers - 1):
        weights += WEIGHTS[tier]
        position = "length(name)" if tier == 0 else f"{tier * TIER_SPAN} + rowid"
        cases.append(f"WHEN document @@ to_tsquery('simple', %s) THEN {position}")
        params.append(tsquery(terms, weight=weights))
    return f"CASE {' '.join(cases)} ELSE {(tiers - 1) * TIER_SPAN} + rowid END", params


def postgresql_ranked(index: Index, terms: list[str], limit: int) -> tuple[str, list]:
    """The ids of sqlite_ranked, in one pass over the GIN index's matches."""
    position, params = postgresql_position(terms, len(index.tiers))
    # OFFSET 0 computes the position once a row (inlined, the sort repeated each test);
    # COLLATE "C" compares bytes, as SQLite does, so that ties of length order alike.
    return (
        f"SELECT rowid FROM (SELECT rowid, name, {position} AS position FROM {index.table} "
        f"WHERE visible AND document @@ to_tsquery('simple', %s) OFFSET 0) tiered "
        f'ORDER BY position, name COLLATE "C", rowid LIMIT {limit}',
        [*params, tsquery(terms)],
    )


def ranked(queryset, index: Index, terms: list[str], *, limit: int) -> list:
    """Shown items matching every word: those named by the words first, shortest name first,
    then those whose tagline holds the words, then category or vendor, then description
    (comparisons: tool names, taglines, vendors and categories), each tier oldest first.
    The index ranks and cuts; only the items shown are read from the catalog."""
    item_id = f'"{index.items}"."id"'
    if connection.vendor == "sqlite":
        sql, params = sqlite_ranked(index, terms, limit)
        shown = RawSQL(f"{item_id} IN (SELECT rowid FROM ({sql}))", params, BooleanField())
        # Each row's place, looked up in one JSON object of id: place. The object is an
        # uncorrelated subquery, built once for the statement, where a correlated one over
        # the ranked rows ran them again for every row shown.
        position = RawSQL(
            f"json_extract((SELECT json_group_object(rowid, place) FROM ({sql})), "
            f"'$.\"' || {item_id} || '\"')",
            params,
        )
        name = F(index.name)
    else:
        sql, params = postgresql_ranked(index, terms, limit)
        # ARRAY(...) is uncorrelated: PostgreSQL runs it once, as an init plan. The position
        # is then computed again for the few rows shown, each one document read by its key.
        shown = RawSQL(f"{item_id} = ANY(ARRAY({sql}))", params, BooleanField())
        case, case_params = postgresql_position(terms, len(index.tiers))
        position = RawSQL(f"SELECT {case} FROM {index.table} WHERE rowid = {item_id}", case_params)
        name = Collate(index.name, "C")
    return list(
        queryset.filter(shown)
        .annotate(search_position=position)
        .order_by("search_position", name, "id")[:limit]
    )


def search_query(*, text: str, tool_limit: int = 50, comparison_limit: int = 20) -> SearchResults:
    """Published tools and comparisons matching every word of `text` (each word also as the
    start of a longer one), in at most three queries; none for a query without words."""
    terms = search_terms(text=text)
    if not terms:
        return SearchResults(terms=[], tools=[], comparisons=[])
    # No published() filter: the index holds visibility, and a status filter here led
    # SQLite's planner to walk every published tool instead of the few ids ranked.
    return SearchResults(
        terms=terms,
        tools=ranked(Tool.objects.with_card_data(), TOOLS, terms, limit=tool_limit),
        comparisons=ranked(
            Comparison.objects.with_tools(), COMPARISONS, terms, limit=comparison_limit
        ),
    )
