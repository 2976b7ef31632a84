"""The reviewer panel: personas and the reviews they write."""

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


class ReviewQuerySet(models.QuerySet):
    def current(self) -> "ReviewQuerySet":
        return self.filter(is_current=True)


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

    @property
    def model_name(self) -> str:
        """The model's own name, without the provider or a server's address."""
        if "#" in self.model_id:
            return self.model_id.rsplit("#", 1)[1]
        return self.model_id.split(":", 1)[-1]

    @property
    def unverified_quotes(self) -> list[str]:
        return [flag["quote"] for flag in self.flags if flag.get("kind") == "unverified_quote"]


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    PARTIAL = "partial", "Done, some personas gave no verdict"
    FAILED = "failed", "Failed: no verdicts"
    STOPPED = "stopped", "Stopped by the monthly budget"


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class PanelRun(models.Model):
    """One request to the panel: some personas review some tools. Its jobs do the work."""

    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    tools = models.ManyToManyField(Tool, related_name="panel_runs")
    personas = models.ManyToManyField(Persona, related_name="panel_runs")
    model = models.CharField(
        max_length=200, blank=True, help_text="Model for every persona; blank: each its own."
    )
    key = models.CharField(
        max_length=64, help_text="Fingerprint of tools, personas and model: one active run each."
    )
    requested_by = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="panel_run_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"Panel run {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in ACTIVE_RUN_STATUSES


class JobKind(models.TextChoices):
    REVIEW = "review", "Review"
    HEAD_TO_HEAD = "h2h", "Head to head"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "No verdict"
    SKIPPED = "skipped", "Skipped: budget"


FINISHED_JOB_STATUSES = (JobStatus.DONE, JobStatus.FAILED, JobStatus.SKIPPED)


class PanelJob(models.Model):
    """One persona's call in a run: a review of `tool`, or `tool` against `other_tool`."""

    run = models.ForeignKey(PanelRun, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=6, choices=JobKind.choices, default=JobKind.REVIEW)
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="+")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    other_tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    model_id = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, help_text="Who is working on it now.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    answer = models.JSONField(default=dict, blank=True, help_text="A head-to-head pick.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "kind", "persona__position", "tool__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "persona", "tool"],
                condition=models.Q(kind="review"),
                name="panel_job_one_review_per_run_persona_tool",
            ),
            models.UniqueConstraint(
                fields=["run", "persona", "tool", "other_tool"],
                condition=models.Q(kind="h2h"),
                name="panel_job_one_h2h_per_run_persona_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.persona_id} on {self.tool_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_JOB_STATUSES


class LlmCall(models.Model):
    """One call to a model: what it was, what it cost, how long it took. Reserved before it is
    made, so the monthly budget counts calls in flight."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "In flight"
        OK = "ok", "Answered"
        ERROR = "error", "Failed"

    job = models.ForeignKey(PanelJob, on_delete=models.SET_NULL, null=True, related_name="calls")
    model_id = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=40, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RESERVED)
    input_tokens = models.PositiveIntegerField(default=0)
    cached_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    estimated_cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    cost_usd = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, help_text="Blank: price unknown."
    )
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "LLM call"

    def __str__(self) -> str:
        return f"{self.model_id} call {self.pk} ({self.status})"


class SpendMonth(models.Model):
    """A row per calendar month, locked while a call checks the budget, so two calls cannot
    both squeeze under it."""

    month = models.CharField(max_length=7, unique=True, help_text="YYYY-MM")

    def __str__(self) -> str:
        return self.month


class AuditStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped by the monthly budget"
    FAILED = "failed", "Failed: no answers"


class PanelAudit(models.Model):
    """One model's self-audit report: the suite it ran and the figures it got
    (verdicts/panel/audit/)."""

    model_id = models.CharField(max_length=200)
    suite_version = models.CharField(max_length=20)
    status = models.CharField(
        max_length=8, choices=AuditStatus.choices, default=AuditStatus.RUNNING
    )
    figures = models.JSONField(default=dict, blank=True)
    calls = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, help_text="Blank: price unknown."
    )
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["model_id", "status", "finished_at"])]

    def __str__(self) -> str:
        return f"Audit of {self.model_id} ({self.suite_version}, {self.status})"
