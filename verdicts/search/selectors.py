"""Full-text search over published tools and comparisons, ranked, on SQLite or PostgreSQL."""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from verdicts.catalog.models import Comparison, Tool
from verdicts.search.schema import COMPARISON_TABLE, TOOL_TABLE

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 8
# A word is a run of letters and digits, as both indexes split text; everything else,
# quotes and operators included, only separates words and never reaches the index.
WORD = re.compile(r"[^\W_]+")
# Orders name hits by their name's length, ahead of every other match.
NOT_A_NAME_HIT = 1_000_000


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
    """One of the two indexes: its table, the column (SQLite) or weight (PostgreSQL) that
    holds the item's own name, and the SQLite weights of its columns in order."""

    table: str
    name_column: str
    fts5_weights: tuple[float, ...]


# Weights mirror PostgreSQL's ts_rank defaults for A, B, C, D (1, 0.4, 0.2, 0.1).
TOOLS = Index(TOOL_TABLE, "name", (1.0, 0.4, 0.1, 0.2, 0.2))  # name tagline description ...
COMPARISONS = Index(COMPARISON_TABLE, "title", (1.0, 0.4, 0.2, 0.1, 0.1))


def fts5_expression(terms: list[str]) -> str:
    # Terms hold only letters and digits, so quoting each makes it a plain prefix phrase.
    return " ".join(f'"{term}"*' for term in terms)


def tsquery(terms: list[str], *, weight: str = "") -> str:
    return " & ".join(f"'{term}':*{weight}" for term in terms)


def matches(index: Index, terms: list[str]) -> RawSQL:
    if connection.vendor == "sqlite":
        sql, param = f'"{index.table}" MATCH %s', fts5_expression(terms)
    else:
        sql, param = f"\"{index.table}\".document @@ to_tsquery('simple', %s)", tsquery(terms)
    return RawSQL(sql, [param], output_field=BooleanField())


def name_hit(index: Index, terms: list[str]) -> RawSQL:
    """True when every word is in the item's own name (a tool's name, a comparison's title)."""
    if connection.vendor == "sqlite":
        sql = (
            f'"{index.table}".rowid IN (SELECT rowid FROM "{index.table}" '
            f'WHERE "{index.table}" MATCH %s)'
        )
        param = f"{index.name_column} : ({fts5_expression(terms)})"
    else:
        sql = f"\"{index.table}\".document @@ to_tsquery('simple', %s)"
        param = tsquery(terms, weight="A")
    return RawSQL(sql, [param], output_field=BooleanField())


def score(index: Index, terms: list[str]) -> RawSQL:
    """The weighted relevance, lower is better on both databases."""
    if connection.vendor == "sqlite":
        weights = ", ".join(str(weight) for weight in index.fts5_weights)
        return RawSQL(f'bm25("{index.table}", {weights})', [], output_field=FloatField())
    return RawSQL(
        f"-ts_rank(\"{index.table}\".document, to_tsquery('simple', %s))",
        [tsquery(terms)],
        output_field=FloatField(),
    )


def ranked(queryset, index: Index, terms: list[str], *, name_field: str, limit: int) -> list:
    """Items matching every word: those named by the words first, shortest name first (on
    both databases alike), then by weighted relevance, then by name."""
    return list(
        queryset.filter(search_document__isnull=False)
        .filter(matches(index, terms))
        .annotate(
            search_name_rank=Case(
                When(name_hit(index, terms), then=Length(name_field)),
                default=Value(NOT_A_NAME_HIT),
            ),
            search_score=score(index, terms),
        )
        .order_by("search_name_rank", "search_score", name_field, "id")[:limit]
    )


def search_query(*, text: str, tool_limit: int = 50, comparison_limit: int = 20) -> SearchResults:
    """Published tools and comparisons matching every word of `text` (each word also as the
    start of a longer one), in at most three queries; none for a query without words."""
    terms = search_terms(text=text)
    if not terms:
        return SearchResults(terms=[], tools=[], comparisons=[])
    tools = Tool.objects.published().with_card_data()
    comparisons = Comparison.objects.published().with_tools()
    return SearchResults(
        terms=terms,
        tools=ranked(tools, TOOLS, terms, name_field="name", limit=tool_limit),
        comparisons=ranked(
            comparisons, COMPARISONS, terms, name_field="title", limit=comparison_limit
        ),
    )
