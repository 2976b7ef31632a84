"""Head-to-head comparisons of two tools."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse

from verdicts.catalog.models.tools import Tool
from verdicts.common.models import TimestampedModel

DEFAULT_QUESTION = "Which one should you ship with?"


class ComparisonQuerySet(models.QuerySet):
    def published(self) -> "ComparisonQuerySet":
        """Published comparisons whose two tools are both published."""
        return self.filter(
            published_at__isnull=False,
            tool_a__status=Tool.Status.PUBLISHED,
            tool_b__status=Tool.Status.PUBLISHED,
        )

    def with_tools(self) -> "ComparisonQuerySet":
        return self.select_related(
            "tool_a__category", "tool_a__vendor", "tool_b__category", "tool_b__vendor"
        )


class Comparison(TimestampedModel):
    tool_a = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    tool_b = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(unique=True, max_length=170)
    title = models.CharField(max_length=200)
    question = models.CharField(max_length=200, default=DEFAULT_QUESTION)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Blank keeps the comparison a draft."
    )
    bottom_line = models.TextField(
        blank=True,
        help_text="The editors' bottom line: who should choose which. Shown signed by the "
        "Verdicts editors in place of the panel's; blank shows the panel's.",
    )
    bottom_line_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tool_a=F("tool_b")), name="comparison_two_different_tools"
            ),
            # One comparison per pair, whichever tool is on the left.
            models.UniqueConstraint(
                Least("tool_a", "tool_b"),
                Greatest("tool_a", "tool_b"),
                name="comparison_unique_pair",
            ),
        ]
        # Newest first with the id as tie-break: the comparison index, the home page, the feeds.
        # The sitemap's lastmod: the latest change among published comparisons.
        indexes = [
            models.Index(fields=["published_at", "id"], name="comparison_newest_idx"),
            models.Index(fields=["updated_at"], name="comparison_updated_idx"),
        ]
        # The table kept its name when the model moved here from the comparison pages' app.
        db_table = "compare_comparison"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:comparison", kwargs={"slug": self.slug})

    @property
    def tools(self) -> tuple[Tool, Tool]:
        return (self.tool_a, self.tool_b)
