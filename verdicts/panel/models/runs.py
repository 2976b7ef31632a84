"""Panel runs: their jobs, the model calls they made, and the month's spend."""

from django.db import models

from verdicts.catalog.models import Tool
from verdicts.panel.models.reviews import COUNTED_HOLDS, Hold, Persona


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
    answer = models.JSONField(
        default=dict, blank=True, help_text="A head-to-head pick, or a counterfactual's answer."
    )
    counterfactual_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="counterfactual",
        help_text="The job this one asks again without vendor-written text.",
    )
    hold = models.CharField(max_length=8, choices=Hold.choices, default=Hold.NONE, blank=True)
    hold_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "kind", "persona__position", "tool__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "persona", "tool"],
                condition=models.Q(kind="review", counterfactual_of__isnull=True),
                name="panel_job_one_review_per_run_persona_tool",
            ),
            models.UniqueConstraint(
                fields=["run", "persona", "tool", "other_tool"],
                condition=models.Q(kind="h2h", counterfactual_of__isnull=True),
                name="panel_job_one_h2h_per_run_persona_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(
                fields=["hold", "kind"], condition=~models.Q(hold=""), name="panel_job_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.persona_id} on {self.tool_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_JOB_STATUSES

    @property
    def is_counterfactual(self) -> bool:
        return self.counterfactual_of_id is not None

    @property
    def is_counted(self) -> bool:
        return self.hold in COUNTED_HOLDS


class HeldAnswerManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(counterfactual_of__isnull=True).exclude(hold="")


class HeldAnswer(PanelJob):
    """A review or pick whose counterfactual was asked: the editors' list of held answers."""

    objects = HeldAnswerManager()

    class Meta:
        proxy = True
        ordering = ["-finished_at", "-id"]


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
