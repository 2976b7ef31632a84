"""The index also holds whether each item is shown (and, on PostgreSQL, its own name), so that
a search ranks and cuts inside it; status and publication changes now rewrite documents.

Drops what 0001 created and creates the index again from `schema.py`, then rebuilds it.
"""

from django.db import migrations

from verdicts.search.schema import index_sql


def recreate(apps, schema_editor) -> None:
    sql = index_sql(vendor=schema_editor.connection.vendor)
    for statement in sql.drop + sql.create + sql.rebuild:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
