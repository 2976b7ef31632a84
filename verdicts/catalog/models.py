"""Tools, their vendors and categories, and what they cost."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from verdicts.common.models import TimestampedModel


class EntryTier(models.TextChoices):
    """The cheapest way in, in the reference page's words."""

    FREE = "free", "Free"
    FREEMIUM = "freemium", "Freemium"
    PAID = "paid", "Paid"


class Category(TimestampedModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:category", kwargs={"slug": self.slug})


class Vendor(TimestampedModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    homepage = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ToolQuerySet(models.QuerySet):
    def published(self) -> "ToolQuerySet":
        return self.filter(status=Tool.Status.PUBLISHED)

    def with_card_data(self) -> "ToolQuerySet":
        """Category, vendor and plans: everything a tool card shows, in two queries."""
        return self.select_related("category", "vendor").prefetch_related("plans")


class Tool(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tools")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="tools")
    tagline = models.CharField(max_length=140)
    description = models.TextField()
    homepage = models.URLField(blank=True)
    docs_url = models.URLField(blank=True)
    repository_url = models.URLField(blank=True)
    licence = models.CharField(max_length=120, blank=True)
    open_weights = models.BooleanField(default=False)
    entry_tier_override = models.CharField(
        max_length=10,
        choices=EntryTier.choices,
        blank=True,
        help_text="Leave blank to derive the entry tier from the pricing plans.",
    )
    launch_date = models.DateField(null=True, blank=True)
    facts = models.JSONField(
        default=dict,
        blank=True,
        help_text='Key facts shown on the page, e.g. {"parameters": "3B"}.',
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "category"]),
            # The /tools/ index pages through published tools by name.
            models.Index(fields=["status", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:tool", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def entry_tier(self) -> str:
        """The entry tier value: the editor's override, else derived from the plans."""
        if self.entry_tier_override:
            return self.entry_tier_override
        return entry_tier_from_plan_kinds([plan.kind for plan in self.plans.all()])

    @property
    def entry_tier_label(self) -> str:
        tier = self.entry_tier
        return EntryTier(tier).label if tier else "—"


class PlanKind(models.TextChoices):
    FREE = "free", "Free"
    PER_SEAT = "per_seat", "Per seat"
    USAGE = "usage", "Usage-based"
    TIERED = "tiered", "Tiered subscription"
    CONTACT = "contact", "Contact sales"
    SELF_HOSTED = "self_hosted", "Self-hosted"


FREE_PLAN_KINDS = frozenset({PlanKind.FREE, PlanKind.SELF_HOSTED})


def entry_tier_from_plan_kinds(kinds: list[str]) -> str:
    """Free when every way in costs nothing, Paid when none does, Freemium in between."""
    if not kinds:
        return ""
    free = [kind in FREE_PLAN_KINDS for kind in kinds]
    if all(free):
        return EntryTier.FREE
    if any(free):
        return EntryTier.FREEMIUM
    return EntryTier.PAID


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


class StarterItem(models.Model):
    """A starter-catalog entry that `verdicts init` has loaded once, so it is never loaded again.

    Keeping the key, not the row, means an editor's edit or deletion survives every later init.
    """

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
