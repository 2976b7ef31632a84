"""Personas, the reviews they write, and each review's history."""

import hashlib
import json

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from verdicts.catalog.models import Tool
from verdicts.common.models import TimestampedModel

EDITORIAL_AUTHOR = "Verdicts editorial"
# The panel's one order (Builder, Skeptic, Futurist, Operator, set by each persona file's
# `order`). Meta.ordering is dropped from aggregating queries, so every listing asks for it.
PANEL_ORDER = ("position", "slug")


class PersonaQuerySet(models.QuerySet):
    def active(self) -> "PersonaQuerySet":
        return self.filter(is_active=True)

    def in_panel_order(self) -> "PersonaQuerySet":
        return self.order_by(*PANEL_ORDER)


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
        ordering = list(PANEL_ORDER)

    def __str__(self) -> str:
        return self.name

    @property
    def panel_order_key(self) -> tuple:
        """Sorts personas already in hand into the panel order."""
        return tuple(getattr(self, field) for field in PANEL_ORDER)

    def get_absolute_url(self) -> str:
        return reverse("pages:persona", kwargs={"slug": self.slug})

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


class Hold(models.TextChoices):
    """Whether an answer to a tool whose material carried steering text is counted yet."""

    NONE = "", "Not held"
    PENDING = "pending", "Held: counterfactual not answered yet"
    SWAYED = "swayed", "Held: swayed by vendor-written text"
    UNASKED = "unasked", "Held: counterfactual not asked"
    ACCEPTED = "accepted", "Accepted by an editor"
    DROPPED = "dropped", "Dropped by an editor"


# Answers that count in the shares and picks; every other hold keeps them out.
COUNTED_HOLDS = (Hold.NONE, Hold.ACCEPTED)
# Answers an editor has to decide on; and every answer held out of the figures.
QUEUED_HOLDS = (Hold.SWAYED, Hold.UNASKED)
HELD_HOLDS = (Hold.PENDING, *QUEUED_HOLDS)


class ReviewQuerySet(models.QuerySet):
    def current(self) -> "ReviewQuerySet":
        return self.filter(is_current=True)

    def counted(self) -> "ReviewQuerySet":
        return self.filter(hold__in=COUNTED_HOLDS)


class Review(models.Model):
    """One persona's review of one tool. A newer review supersedes it; the old one is kept."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="reviews")
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="reviews")
    verdict = models.CharField(max_length=4, choices=Verdict.choices)
    confidence = models.FloatField(
        null=True,
        blank=True,
        help_text="0 to 1.",
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    body = models.TextField()
    lens_fields = models.JSONField(
        default=dict, blank=True, help_text="The persona lens's own answers."
    )
    evidence = models.JSONField(default=list, blank=True, help_text="Quotes from the dossier.")
    author = models.CharField(max_length=120, default=EDITORIAL_AUTHOR)
    model_id = models.CharField(max_length=200, blank=True, help_text="Blank for editors.")
    prompt_version = models.CharField(max_length=40, blank=True)
    is_current = models.BooleanField(default=True)
    run = models.ForeignKey(
        "PanelRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    flags = models.JSONField(
        default=list, blank=True, help_text="Warnings, e.g. quotes not found in the dossier."
    )
    hold = models.CharField(max_length=8, choices=Hold.choices, default=Hold.NONE, blank=True)
    hold_reason = models.CharField(max_length=300, blank=True)
    counterfactual_verdict = models.CharField(
        max_length=4,
        choices=Verdict.choices,
        blank=True,
        help_text="The verdict asked again without vendor-written text.",
    )
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
        indexes = [
            models.Index(fields=["persona", "is_current"]),
            # The editors' queue: the few held answers, never the counted many.
            models.Index(
                fields=["hold", "is_current"], condition=~models.Q(hold=""), name="review_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.persona.name} on {self.tool.name}: {self.verdict}"

    @property
    def is_editorial(self) -> bool:
        return not self.model_id

    @property
    def model_name(self) -> str:
        """The model's own name, without the provider or a server's address."""
        if "#" in self.model_id:
            return self.model_id.rsplit("#", 1)[1]
        return self.model_id.split(":", 1)[-1]

    @property
    def is_counted(self) -> bool:
        return self.hold in COUNTED_HOLDS

    @property
    def unverified_quotes(self) -> list[str]:
        return [flag["quote"] for flag in self.flags if flag.get("kind") == "unverified_quote"]


class ReviewSnapshot(models.Model):
    """What the dossier held when the panel wrote a review, compactly (verdicts/panel/history/):
    two reviews' snapshots say what changed between them."""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, primary_key=True, related_name="snapshot"
    )
    digest = models.CharField(max_length=64, help_text="SHA-256 of the facts.")
    facts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Dossier of review {self.review_id} ({self.digest[:12]})"


class VerdictChange(models.Model):
    """A review that flipped its persona's verdict or moved the tool's panel share across one
    half; recorded with the review, once (the review is unique)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="verdict_change")
    previous = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="verdict_changes")
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="+")
    verdict_before = models.CharField(max_length=4, choices=Verdict.choices, blank=True)
    verdict_after = models.CharField(max_length=4, choices=Verdict.choices)
    ships_before = models.PositiveSmallIntegerField()
    total_before = models.PositiveSmallIntegerField()
    ships_after = models.PositiveSmallIntegerField()
    total_after = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.persona_id} on {self.tool_id}: {self.verdict_before} to {self.verdict_after}"
