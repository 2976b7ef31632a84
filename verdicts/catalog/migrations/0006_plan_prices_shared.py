"""The plan and its history share one abstract model of price fields (PlanPrices).

The history takes the plan's labels, help texts, validators and currency default, and
max_seats refuses 0 as the starter files always did: none of this reaches the database, so
the operations change only Django's state.
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_comparison_moves_to_catalog"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="planprice",
            name="cached_input_per_mtok",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="cached input price per million tokens",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="currency",
            field=models.CharField(default="USD", max_length=3),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="included_requests",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Requests included each month before usage prices apply.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="input_per_mtok",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="input price per million tokens",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="long_context_cached_input_per_mtok",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="Blank bills cached input above the threshold at the long-context input price.",
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="long-context cached input price per million tokens",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="long_context_input_per_mtok",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="long-context input price per million tokens",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="long_context_output_per_mtok",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="long-context output price per million tokens",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="long_context_threshold",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Input tokens per request above which the long-context token prices apply.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="max_seats",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Most seats the plan allows; blank means no limit.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="min_seats",
            field=models.PositiveIntegerField(
                blank=True, help_text="Fewest seats a per-seat plan bills for.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="output_per_mtok",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="output price per million tokens",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="per_image",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="price per image",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="per_request",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="price per request",
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="price",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="Flat monthly price; per seat per month for per-seat plans.",
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
            ),
        ),
        migrations.AlterField(
            model_name="planprice",
            name="seats_included",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Seats one flat-priced subscription covers; blank means one.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
        migrations.AlterField(
            model_name="pricingplan",
            name="max_seats",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Most seats the plan allows; blank means no limit.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
