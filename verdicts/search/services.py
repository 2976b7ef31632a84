"""Writes to the search index. Triggers keep it current; this rebuilds it from scratch."""

from dataclasses import dataclass

from django.db import connection, transaction

from verdicts.search.models import ComparisonDocument, ToolDocument
from verdicts.search.schema import index_sql


@dataclass(frozen=True)
class SearchIndexRebuild:
    tools: int
    comparisons: int


@transaction.atomic
def search_index_rebuild() -> SearchIndexRebuild:
    """Index every tool and comparison again, drafts included (visibility is checked when
    searching): for a database restored without its index, or after a TRUNCATE."""
    with connection.cursor() as cursor:
        for statement in index_sql(vendor=connection.vendor).rebuild:
            cursor.execute(statement)
    return SearchIndexRebuild(
        tools=ToolDocument.objects.count(), comparisons=ComparisonDocument.objects.count()
    )
