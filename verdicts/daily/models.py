"""The daily pipeline's own record of its runs, kept because Huey forgets a task it started.

A run holds a lease (`owner`, `heartbeat_at`) renewed after each item; a run whose heartbeat is
older than the lease was killed and is resumed by the next `verdicts daily`. Each finished item
of a step is a `DailyItem`, so a resumed run skips what is done.
"""

from django.db import models
from django.db.models import Q


class DailyStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    ERRORS = "errors", "Done with errors"


class DailyRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=DailyStatus.choices, default=DailyStatus.RUNNING
    )
    step = models.CharField(max_length=20, blank=True, help_text="The step under way.")
    owner = models.CharField(max_length=32, blank=True, help_text="The process holding the run.")
    heartbeat_at = models.DateTimeField()
    publish_mode = models.CharField(max_length=10)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Never two runs at once: a second start fails here and reports the running one.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="running"),
                name="daily_one_running_run",
            )
        ]

    def __str__(self) -> str:
        return f"Daily run {self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class ItemStatus(models.TextChoices):
    DONE = "done", "Done"
    ERROR = "error", "Error"
    STARTED = "started", "Started"


class DailyItem(models.Model):
    """One unit of a step: a source read, a tool checked, a pair drafted, a panel run."""

    run = models.ForeignKey(DailyRun, on_delete=models.CASCADE, related_name="items")
    step = models.CharField(max_length=20)
    key = models.CharField(max_length=500)
    status = models.CharField(max_length=8, choices=ItemStatus.choices)
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "step", "key"], name="daily_item_once_a_run")
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.key}: {self.status}"
