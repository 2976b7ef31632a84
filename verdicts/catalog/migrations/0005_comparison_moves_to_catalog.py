"""The Comparison model moves here from the comparison pages' app, keeping its table and rows.

Only Django's idea of where the model lives changes (SeparateDatabaseAndState); the table
`compare_comparison` is untouched. The content type is renamed so that admin history and
permissions follow the model.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


def content_type_move(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="catalog", model="comparison").exists():
        content_type.objects.filter(app_label="compare", model="comparison").update(
            app_label="catalog"
        )


def content_type_move_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="compare", model="comparison").exists():
        content_type.objects.filter(app_label="catalog", model="comparison").update(
            app_label="compare"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_tool_status_name_index"),
        ("compare", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Comparison",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("slug", models.SlugField(max_length=170, unique=True)),
                        ("title", models.CharField(max_length=200)),
                        (
                            "question",
                            models.CharField(
                                default="Which one should you ship with?", max_length=200
                            ),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="Blank keeps the comparison a draft.",
                                null=True,
                            ),
                        ),
                        (
                            "tool_a",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalog.tool",
                            ),
                        ),
                        (
                            "tool_b",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalog.tool",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-published_at", "-id"],
                        "db_table": "compare_comparison",
                        "indexes": [
                            models.Index(
                                fields=["published_at"], name="compare_com_publish_9c700c_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("tool_a", models.F("tool_b")), _negated=True),
                                name="comparison_two_different_tools",
                            ),
                            models.UniqueConstraint(
                                django.db.models.functions.comparison.Least("tool_a", "tool_b"),
                                django.db.models.functions.comparison.Greatest("tool_a", "tool_b"),
                                name="comparison_unique_pair",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_move_back),
    ]
