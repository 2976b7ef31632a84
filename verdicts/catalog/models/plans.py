"""What a tool costs: its pricing plans and the history of their prices."""

from dataclasses import dataclass
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

type PriceValue = Decimal | int | str | None


class PlanPrices(models.Model):
    """Every price a plan states: the one list of price fields, shared by the plan and its
    history. Add a price here and the history, the starter schema, the create service, the
    API and the dossier follow."""

    kind = models.CharField(max_length=12, choices=PlanKind.choices)
    currency = models.CharField(max_length=3, default="USD")
    price = models.DecimalField(
        **MONEY, help_text="Flat monthly price; per seat per month for per-seat plans."
    )
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
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most seats the plan allows; blank means no limit.",
    )

    class Meta:
        abstract = True

    def prices(self) -> dict[str, PriceValue]:
        """The price fields' values by name, as the history compares and copies them."""
        return {name: getattr(self, name) for name in PRICE_FIELDS}


@dataclass(frozen=True)
class PriceField:
    """One price field as the schemas built from it need it, without Django's _meta."""

    name: str
    type: type  # Decimal, int or str
    nullable: bool
    required: bool
    default: PriceValue
    minimum: int | None
    choices: tuple[str, ...]
    label: str


def price_field_describe(field: models.Field) -> PriceField:
    """What a schema needs to know about one price field of PlanPrices."""
    if isinstance(field, models.DecimalField):
        kind: type = Decimal
    elif isinstance(field, models.IntegerField):
        kind = int
    else:
        kind = str
    minimums = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    return PriceField(
        name=field.name,
        type=kind,
        nullable=field.null,
        required=not field.has_default() and not field.null,
        default=field.get_default() if field.has_default() or field.null else None,
        minimum=max(minimums) if minimums else None,
        choices=tuple(str(value) for value, _ in field.choices or ()),
        label=str(field.verbose_name),
    )


PRICE_SPECS = tuple(price_field_describe(field) for field in PlanPrices._meta.local_fields)
PRICE_FIELDS = tuple(spec.name for spec in PRICE_SPECS)


class PricingPlan(TimestampedModel, PlanPrices):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=60, blank=True)
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


class PlanPrice(PlanPrices):
    """One price a plan has had, from the day it was recorded until the next record."""

    plan = models.ForeignKey(PricingPlan, on_delete=models.CASCADE, related_name="history")
    recorded_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-recorded_on", "-id"]
        get_latest_by = ["recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} from {self.recorded_on}"
