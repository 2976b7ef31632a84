"""What a tool costs: its pricing plans and the history of their prices."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from verdicts.catalog.models.tiers import FREE_PLAN_KINDS, PlanKind
from verdicts.catalog.models.tools import Tool
from verdicts.common.models import TimestampedModel

MONEY = {
    "max_digits": 12,
    "decimal_places": 4,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(0)],
}


class PricingPlan(TimestampedModel):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=12, choices=PlanKind.choices)
    currency = models.CharField(max_length=3, default="USD")
    price = models.DecimalField(
        **MONEY, help_text="Flat monthly price; per seat per month for per-seat plans."
    )
    unit = models.CharField(max_length=60, blank=True)
    input_per_mtok = models.DecimalField(**MONEY, verbose_name="input price per million tokens")
    output_per_mtok = models.DecimalField(**MONEY, verbose_name="output price per million tokens")
    cached_input_per_mtok = models.DecimalField(
        **MONEY, verbose_name="cached input price per million tokens"
    )
    per_request = models.DecimalField(**MONEY, verbose_name="price per request")
    per_image = models.DecimalField(**MONEY, verbose_name="price per image")
    long_context_threshold = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Input tokens per request above which the long-context token prices apply.",
    )
    long_context_input_per_mtok = models.DecimalField(
        **MONEY, verbose_name="long-context input price per million tokens"
    )
    long_context_output_per_mtok = models.DecimalField(
        **MONEY, verbose_name="long-context output price per million tokens"
    )
    long_context_cached_input_per_mtok = models.DecimalField(
        **MONEY,
        verbose_name="long-context cached input price per million tokens",
        help_text="Blank bills cached input above the threshold at the long-context input price.",
    )
    included_requests = models.PositiveIntegerField(
        null=True, blank=True, help_text="Requests included each month before usage prices apply."
    )
    seats_included = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Seats one flat-priced subscription covers; blank means one.",
    )
    min_seats = models.PositiveIntegerField(
        null=True, blank=True, help_text="Fewest seats a per-seat plan bills for."
    )
    max_seats = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most seats the plan allows; blank means no limit."
    )
    notes = models.CharField(max_length=240, blank=True)
    source_url = models.URLField(blank=True)
    checked_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["tool", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "name"], name="plan_unique_name_per_tool")
        ]

    def __str__(self) -> str:
        return f"{self.tool.name}: {self.name}"

    def clean(self) -> None:
        super().clean()
        tier = [
            self.long_context_input_per_mtok,
            self.long_context_output_per_mtok,
            self.long_context_cached_input_per_mtok,
        ]
        if self.long_context_threshold is None:
            if any(rate is not None for rate in tier):
                raise ValidationError(
                    {"long_context_threshold": "Long-context prices need a threshold."}
                )
            return
        if None in (self.input_per_mtok, self.output_per_mtok, *tier[:2]):
            raise ValidationError(
                "A long-context threshold needs input and output prices, both below and above it."
            )
        # A request that grows past the threshold must never cost less than one just below it;
        # a blank cached price means the input price, above the threshold as below it.
        cached = (self.cached_input_per_mtok, self.input_per_mtok)
        long_cached = (self.long_context_cached_input_per_mtok, self.long_context_input_per_mtok)
        pairs = {
            "long_context_input_per_mtok": ("input", self.input_per_mtok, tier[0]),
            "long_context_output_per_mtok": ("output", self.output_per_mtok, tier[1]),
            "long_context_cached_input_per_mtok": (
                "cached input",
                next(rate for rate in cached if rate is not None),
                next(rate for rate in long_cached if rate is not None),
            ),
        }
        errors = {
            name: f"The long-context {label} price cannot be below the {label} price."
            for name, (label, base, above) in pairs.items()
            # A value its field refused stays raw text; that field's own error says so.
            if isinstance(base, Decimal | int) and isinstance(above, Decimal | int) and above < base
        }
        if errors:
            raise ValidationError(errors)

    @property
    def is_free(self) -> bool:
        return self.kind in FREE_PLAN_KINDS

    @property
    def is_stale(self) -> bool:
        """True when nobody has checked the price within VERDICTS_PRICE_STALE_DAYS (or ever)."""
        if self.checked_on is None:
            return True
        age = timezone.localdate() - self.checked_on
        return age.days > settings.VERDICTS_PRICE_STALE_DAYS


PRICE_FIELDS = (
    "kind",
    "currency",
    "price",
    "input_per_mtok",
    "output_per_mtok",
    "cached_input_per_mtok",
    "per_request",
    "per_image",
    "long_context_threshold",
    "long_context_input_per_mtok",
    "long_context_output_per_mtok",
    "long_context_cached_input_per_mtok",
    "included_requests",
    "seats_included",
    "min_seats",
    "max_seats",
)


class PlanPrice(models.Model):
    """One price a plan has had, from the day it was recorded until the next record."""

    plan = models.ForeignKey(PricingPlan, on_delete=models.CASCADE, related_name="history")
    recorded_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=12, choices=PlanKind.choices)
    currency = models.CharField(max_length=3)
    price = models.DecimalField(**MONEY)
    input_per_mtok = models.DecimalField(**MONEY)
    output_per_mtok = models.DecimalField(**MONEY)
    cached_input_per_mtok = models.DecimalField(**MONEY)
    per_request = models.DecimalField(**MONEY)
    per_image = models.DecimalField(**MONEY)
    long_context_threshold = models.PositiveIntegerField(null=True, blank=True)
    long_context_input_per_mtok = models.DecimalField(**MONEY)
    long_context_output_per_mtok = models.DecimalField(**MONEY)
    long_context_cached_input_per_mtok = models.DecimalField(**MONEY)
    included_requests = models.PositiveIntegerField(null=True, blank=True)
    seats_included = models.PositiveIntegerField(null=True, blank=True)
    min_seats = models.PositiveIntegerField(null=True, blank=True)
    max_seats = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-recorded_on", "-id"]
        get_latest_by = ["recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} from {self.recorded_on}"

    def prices(self) -> dict:
        return {name: getattr(self, name) for name in PRICE_FIELDS}
