"""The search index's rows, one per tool and per comparison, keyed by its id.

Only the key is a Django field: the indexed text lives in columns each database shapes its
own way (FTS5 columns in SQLite, a tsvector in PostgreSQL; see `schema.py`), which the
selectors reach in SQL. Triggers write these rows; Django never does.
"""

from django.db import models

from verdicts.catalog.models import Comparison, Tool


class ToolDocument(models.Model):
    tool = models.OneToOneField(
        Tool,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_document",
    )

    class Meta:
        db_table = "search_tooldocument"

    def __str__(self) -> str:
        return f"search document of tool {self.pk}"


class ComparisonDocument(models.Model):
    comparison = models.OneToOneField(
        Comparison,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_document",
    )

    class Meta:
        db_table = "search_comparisondocument"

    def __str__(self) -> str:
        return f"search document of comparison {self.pk}"
