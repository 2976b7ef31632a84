"""Flags the steering detector raised in a tool's vendor material, as the panel last read it."""

from django.db import models
from django.utils import timezone

from verdicts.catalog.models import Tool


class SteeringFlag(models.Model):
    """One flagged span: where it was (source, span in that text), which rule, what it said."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="steering_flags")
    source = models.CharField(max_length=500, help_text="The field or document it was in.")
    label = models.CharField(
        max_length=120, help_text="Where it was, in our words (shown to readers)."
    )
    rule = models.CharField(max_length=80)
    group = models.CharField(max_length=40, help_text="What kind of steering the rule finds.")
    start = models.PositiveIntegerField(help_text="Where the span starts in the source text.")
    end = models.PositiveIntegerField()
    excerpt = models.TextField(help_text="The flagged text, invisible characters shown.")
    context = models.TextField(help_text="The flagged text with the text around it.")
    rules_version = models.CharField(max_length=20)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tool", "source", "start", "rule"]
        indexes = [models.Index(fields=["tool", "rule"])]

    def __str__(self) -> str:
        return f"{self.rule} in {self.source}"
