"""Tools, their vendors and categories."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection, models, transaction
from django.urls import reverse

from verdicts.catalog.facets import facet_values
from verdicts.catalog.models.tiers import EntryTier, entry_tier_from_plan_kinds
from verdicts.catalog.url_keys import url_key
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


class LogoStorage(FileSystemStorage):
    """Fetched tool logos under VAR_DIR/logos, read from the settings at each use (so a test's
    VAR_DIR holds its own); only the logo view serves them, never a media URL."""

    @property
    def base_location(self) -> str:
        return str(settings.VAR_DIR / "logos")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def logo_storage() -> LogoStorage:
    return LogoStorage()


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
    # The vendor's logo, fetched once from the intake's logo URL and served from here.
    logo = models.FileField(storage=logo_storage, max_length=200, blank=True, editable=False)
    logo_source = models.URLField(
        max_length=500, blank=True, editable=False, help_text="Where the logo was fetched from."
    )
    logo_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    logo_error = models.CharField(
        max_length=300, blank=True, editable=False, help_text="Why the last fetch kept no logo."
    )
    # The tool index's share sorts, kept by the database (catalog migration 0011): the share of
    # counted panel reviews (or community votes) that say ship, -1 with none, and their count.
    panel_share = models.FloatField(default=-1.0, editable=False)
    panel_count = models.IntegerField(default=0, editable=False)
    community_share = models.FloatField(default=-1.0, editable=False)
    community_count = models.IntegerField(default=0, editable=False)
    # The homepage's and repository's url_key, kept by save(): imports match a tool on them
    # through an index (verdicts/ingest/identity.py), not by scanning the URLs.
    homepage_key = models.CharField(max_length=200, blank=True, editable=False)
    repository_url_key = models.CharField(max_length=200, blank=True, editable=False)

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
            # /tools/?sort=panel and ?sort=community, on the kept shares.
            models.Index(
                fields=["status", "-panel_share", "-panel_count", "name", "id"],
                name="tool_panel_share_idx",
            ),
            models.Index(
                fields=["status", "-community_share", "-community_count", "name", "id"],
                name="tool_community_share_idx",
            ),
            models.Index(fields=["homepage_key"], name="tool_homepage_key_idx"),
            models.Index(fields=["repository_url_key"], name="tool_repository_key_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:tool", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs) -> None:
        """Save, and keep the tool's URL keys and facet rows in step with the fields they are
        read from."""
        update_fields = kwargs.get("update_fields")
        self.url_keys_fill()
        if update_fields is not None and {"homepage", "repository_url"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "homepage_key", "repository_url_key"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or set(update_fields) & set(FACET_SOURCE_FIELDS):
                self._facets_sync()

    def url_keys_fill(self) -> None:
        """Set the URL keys from the URLs (for rows written without save(), too)."""
        self.homepage_key = url_key(self.homepage)
        self.repository_url_key = url_key(self.repository_url)

    def _facets_sync(self) -> None:
        # After this row's UPDATE, which holds its lock: a concurrent save of the same tool
        # waits here and then sees these rows, so the two never leave a mixture.
        # One DELETE of the rows no longer wanted, one INSERT that skips those already there.
        # In SQL: through the ORM a delete with signals connected SELECTs each row first, and
        # this save's own post_save already stamps the catalog that the rows' post_delete would.
        wanted = sorted(self.facet_pairs())
        keep = " OR ".join(["(facet = %s AND value = %s)"] * len(wanted))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ToolFacet._meta.db_table} WHERE tool_id = %s"
                + (f" AND NOT ({keep})" if wanted else ""),
                [self.pk, *(part for pair in wanted for part in pair)],
            )
        ToolFacet.objects.bulk_create(
            [ToolFacet(tool_id=self.pk, facet=facet, value=value) for facet, value in wanted],
            ignore_conflicts=True,
        )

    def facet_pairs(self) -> set[tuple[str, str]]:
        """The (facet, value) pairs this tool's fields give; reads its category's slug only
        when the category is not loaded with it."""
        if Tool.category.is_cached(self):
            slug = self.category.slug
        else:
            slug = Category.objects.values_list("slug", flat=True).get(pk=self.category_id)
        return facet_values(
            facts=self.facts or {},
            licence=self.licence,
            open_weights=self.open_weights,
            category_slug=slug,
        )

    @property
    def logo_digest(self) -> str:
        """The content digest the stored logo's name carries ("<slug>-<digest>.png")."""
        return self.logo.name.rsplit("-", 1)[-1].split(".")[0] if self.logo else ""

    @property
    def logo_url(self) -> str:
        """The local address of the stored logo ("" without one); it carries the digest, so
        it changes when the logo does and may be cached for good."""
        if not self.logo:
            return ""
        url = reverse("catalog:tool-logo", kwargs={"slug": self.slug})
        return f"{url}?v={self.logo_digest}"

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
