"""Tools, their vendors and categories."""

from django.db import models, transaction
from django.urls import reverse

from verdicts.catalog.facets import facet_values
from verdicts.catalog.models.tiers import EntryTier, entry_tier_from_plan_kinds
from verdicts.common.models import TimestampedModel


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
        return reverse("pages:category", kwargs={"slug": self.slug})


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
        # Every list of published tools reads one of these in its own order, never the table:
        # by name (the tool index, and within a category), by slug (the API, the sitemap),
        # newest first (the feeds). verdicts/pages/tests/test_query_plans.py holds them to it.
        indexes = [
            models.Index(fields=["status", "category", "name"], name="tool_category_name_idx"),
            models.Index(fields=["status", "name"]),
            models.Index(fields=["status", "slug"], name="tool_status_slug_idx"),
            models.Index(fields=["status", "created_at", "id"], name="tool_status_newest_idx"),
            # The sitemap's lastmod: the latest change among published tools.
            models.Index(fields=["status", "updated_at"], name="tool_status_updated_idx"),
            # /tools/?open_weights=yes in name order.
            models.Index(fields=["status", "open_weights", "name"], name="tool_open_weights_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:tool", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs) -> None:
        """Save, and keep the tool's facet rows in step with the fields they are read from."""
        update_fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or set(update_fields) & set(FACET_SOURCE_FIELDS):
                self._facets_sync()

    def _facets_sync(self) -> None:
        # After this row's UPDATE, which holds its lock: a concurrent save of the same tool
        # waits here and then sees these rows, so the two never leave a mixture.
        wanted = facet_values(
            facts=self.facts or {},
            licence=self.licence,
            open_weights=self.open_weights,
            category_slug=self.category.slug,
        )
        have = set(self.facet_values.values_list("facet", "value"))
        for facet, value in have - wanted:
            self.facet_values.filter(facet=facet, value=value).delete()
        ToolFacet.objects.bulk_create(
            [ToolFacet(tool=self, facet=facet, value=value) for facet, value in wanted - have],
            ignore_conflicts=True,
        )

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


# The fields a tool's facet values are read from (verdicts/catalog/facets.py).
FACET_SOURCE_FIELDS = ("facts", "licence", "open_weights", "category")


class ToolFacet(models.Model):
    """One facet value of a tool (its kind of licence, a modality, a way to run it), written by
    Tool.save so that /tools/ filters on an index rather than on the facts' prose."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tool", "facet", "value"], name="tool_facet_once")
        ]
        indexes = [models.Index(fields=["facet", "value", "tool"], name="tool_facet_value_idx")]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.facet}={self.value}"
