"""The panel's self-audit reports."""

from django.db import models


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
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the process running it."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["model_id", "status", "finished_at"])]

    def __str__(self) -> str:
        return f"Audit of {self.model_id} ({self.suite_version}, {self.status})"
