"""The search index's rows, one per tool and per comparison, keyed by its id.

Only the key is a Django field: the indexed text lives in columns each database shapes its
own way (FTS5 columns in SQLite, a tsvector in PostgreSQL; see `schema.py`), which the
selectors reach in SQL. Triggers write these rows; Django never does.
"""

from django.db import models

from verdicts.catalog.models import Comparison, Tool


def document_key(target: type[models.Model]) -> models.OneToOneField:
    """The row's key: the indexed item's id, stored as the index table's rowid."""
    return models.OneToOneField(
        target,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_document",
    )


class Document(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"search document of {self._meta.verbose_name.removesuffix(' document')} {self.pk}"


class ToolDocument(Document):
    tool = document_key(Tool)

    class Meta:
        db_table = "search_tooldocument"


class ComparisonDocument(Document):
    comparison = document_key(Comparison)

    class Meta:
        db_table = "search_comparisondocument"
