"""Comparison now lives in catalog (catalog 0005); this app keeps only its history.

The table stays where it is: Django forgets the model here without touching the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0001_initial"),
        ("catalog", "0005_comparison_moves_to_catalog"),
        ("votes", "0002_pair_vote_comparison_in_catalog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Comparison")],
            database_operations=[],
        ),
    ]
