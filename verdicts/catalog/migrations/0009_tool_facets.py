"""Facet rows for /tools/ (verdicts/catalog/facets.py), filled for the tools already stored,
and an index for the open-weights filter. New tables and an index only: SQLite does not
rebuild catalog_tool, so migration 0008's triggers stay."""

import django.db.models.deletion
from django.db import migrations, models

from verdicts.catalog.facets import facet_values


def facets_fill(apps, schema_editor):
    Tool = apps.get_model("catalog", "Tool")
    ToolFacet = apps.get_model("catalog", "ToolFacet")
    rows = []
    for tool in Tool.objects.select_related("category").iterator(chunk_size=2000):
        pairs = facet_values(
            facts=tool.facts or {},
            licence=tool.licence,
            open_weights=tool.open_weights,
            category_slug=tool.category.slug,
        )
        rows += [ToolFacet(tool_id=tool.pk, facet=facet, value=value) for facet, value in pairs]
        if len(rows) >= 5000:
            ToolFacet.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    ToolFacet.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_category_tool_counts")]

    operations = [
        migrations.CreateModel(
            name="ToolFacet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.CharField(max_length=20)),
                ("value", models.CharField(max_length=40)),
                (
                    "tool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="facet_values",
                        to="catalog.tool",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["facet", "value", "tool"], name="tool_facet_value_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tool", "facet", "value"), name="tool_facet_once"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["status", "open_weights", "name"], name="tool_open_weights_idx"
            ),
        ),
        migrations.RunPython(facets_fill, migrations.RunPython.noop),
    ]
