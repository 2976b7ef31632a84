"""A pair vote's comparison is now catalog.Comparison: the same table, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_comparison_moves_to_catalog"),
        ("votes", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pairvote",
                    name="comparison",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="votes",
                        to="catalog.comparison",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
