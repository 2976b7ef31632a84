"""The full-text index over tools and comparisons, and the triggers that keep it current.

Django's state knows two plain models; the database gets the index its vendor needs.
"""

import django.db.models.deletion
from django.db import migrations, models

from verdicts.search.schema import index_sql


def create(apps, schema_editor) -> None:
    sql = index_sql(vendor=schema_editor.connection.vendor)
    for statement in sql.create + sql.rebuild:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor) -> None:
    for statement in index_sql(vendor=schema_editor.connection.vendor).drop:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0006_plan_prices_shared"),
        ("compare", "0002_comparison_moves_to_catalog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ToolDocument",
                    fields=[
                        (
                            "tool",
                            models.OneToOneField(
                                db_column="rowid",
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="search_document",
                                serialize=False,
                                to="catalog.tool",
                            ),
                        ),
                    ],
                    options={"db_table": "search_tooldocument"},
                ),
                migrations.CreateModel(
                    name="ComparisonDocument",
                    fields=[
                        (
                            "comparison",
                            models.OneToOneField(
                                db_column="rowid",
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="search_document",
                                serialize=False,
                                to="catalog.comparison",
                            ),
                        ),
                    ],
                    options={"db_table": "search_comparisondocument"},
                ),
            ],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]
