"""The reviewer panel: personas and the reviews they write."""

import hashlib
import json

from django.db import models
from django.urls import reverse

from verdicts.catalog.models import TimestampedModel, Tool

EDITORIAL_AUTHOR = "Verdicts editorial"


class PersonaQuerySet(models.QuerySet):
    def active(self) -> "PersonaQuerySet":
        return self.filter(is_active=True)


class Persona(TimestampedModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    lens = models.CharField(max_length=240, help_text="What this persona judges, in one line.")
    motto = models.CharField(max_length=200, blank=True)
    thinks = models.TextField(blank=True, help_text="How it thinks.")
    excited_by = models.TextField(blank=True, help_text="What it gets excited about.")
    tired_of = models.TextField(blank=True, help_text="What it is tired of.")
    never_says = models.JSONField(default=list, blank=True, help_text="Words it never uses.")
    questions = models.JSONField(default=list, blank=True, help_text="The questions its lens asks.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page.")
    is_active = models.BooleanField(default=True)
    model = models.CharField(
        max_length=200,
        blank=True,
        help_text="Model this persona writes with, e.g. anthropic:claude-sonnet-4-5. "
        "Blank: the panel default (VERDICTS_PANEL_MODEL).",
    )

    objects = PersonaQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("panel:persona", kwargs={"slug": self.slug})

    @property
    def charter_version(self) -> str:
        """A short hash of everything that shapes the persona's voice; changes when they do."""
        charter = {
            "lens": self.lens,
            "motto": self.motto,
            "thinks": self.thinks,
            "excited_by": self.excited_by,
            "tired_of": self.tired_of,
            "never_says": self.never_says,
            "questions": self.questions,
        }
        digest = hashlib.sha256(json.dumps(charter, sort_keys=True).encode()).hexdigest()
        return digest[:12]


class Verdict(models.TextChoices):
    SHIP = "ship", "Ship"
    SKIP = "skip", "Skip"


class ReviewQuerySet(models.QuerySet):
    def current(self) -> "ReviewQuerySet":
        return self.filter(is_current=True)


class Review(models.Model):
    """One persona's review of one tool. A newer review supersedes it; the old one is kept."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="reviews")
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="reviews")
    verdict = models.CharField(max_length=4, choices=Verdict.choices)
    confidence = models.FloatField(null=True, blank=True, help_text="0 to 1.")
    body = models.TextField()
    lens_fields = models.JSONField(
        default=dict, blank=True, help_text="The persona lens's own answers."
    )
    evidence = models.JSONField(default=list, blank=True, help_text="Quotes from the dossier.")
    author = models.CharField(max_length=120, default=EDITORIAL_AUTHOR)
    model_id = models.CharField(max_length=200, blank=True, help_text="Blank for editors.")
    prompt_version = models.CharField(max_length=40, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["tool", "persona__position", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "persona"],
                condition=models.Q(is_current=True),
                name="review_one_current_per_tool_persona",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=0, confidence__lte=1),
                name="review_confidence_between_0_and_1",
            ),
        ]
        indexes = [models.Index(fields=["persona", "is_current"])]

    def __str__(self) -> str:
        return f"{self.persona.name} on {self.tool.name}: {self.verdict}"

    @property
    def is_editorial(self) -> bool:
        return not self.model_id
