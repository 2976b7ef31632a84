"""The editors' bottom line on a comparison (#14) and a tool's locally stored logo (#15).

Adding NOT NULL columns makes SQLite rebuild catalog_tool, which drops migration 0008's
triggers on it: they are created again here, as 0008 asks (the count table itself is kept).
"""

import importlib

from django.db import migrations, models

import verdicts.catalog.models.tools

COUNTS = importlib.import_module("verdicts.catalog.migrations.0008_category_tool_counts")
TOOL_TRIGGERS = [sql for sql in COUNTS.SQLITE if "TRIGGER" in sql and "ON catalog_tool" in sql]


def tool_triggers_restore(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_tool'"
        )
        existing = {name for (name,) in cursor.fetchall()}
    for sql in TOOL_TRIGGERS:
        if sql.split()[2] not in existing:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_tool_facets"),
    ]

    operations = [
        migrations.AddField(
            model_name="comparison",
            name="bottom_line",
            field=models.TextField(
                blank=True,
                help_text="The editors' bottom line: who should choose which. Shown signed by "
                "the Verdicts editors in place of the panel's; blank shows the panel's.",
            ),
        ),
        migrations.AddField(
            model_name="comparison",
            name="bottom_line_updated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="tool",
            name="logo",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=200,
                storage=verdicts.catalog.models.tools.logo_storage,
                upload_to="",
            ),
        ),
        migrations.AddField(
            model_name="tool",
            name="logo_error",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Why the last fetch kept no logo.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="tool",
            name="logo_fetched_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="tool",
            name="logo_source",
            field=models.URLField(
                blank=True,
                editable=False,
                help_text="Where the logo was fetched from.",
                max_length=500,
            ),
        ),
        migrations.RunPython(tool_triggers_restore, migrations.RunPython.noop),
    ]
