"""Documentation imported for a tool: vendor-written text the panel reads as data."""

from django.db import models
from django.db.models import Q


class ToolDocument(models.Model):
    """One source of a tool's documentation: a page fetched from a URL, or a file.

    A document is identified by its source URL, or, when it has none (a file), by its title,
    so importing the same source again updates the text instead of adding a copy.
    """

    tool = models.ForeignKey("catalog.Tool", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    text = models.TextField()
    content_sha256 = models.CharField(max_length=64, editable=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tool", "-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "source_url"],
                condition=~Q(source_url=""),
                name="ingest_document_one_per_source",
                violation_error_message="This tool already has a document from that URL.",
            ),
            models.UniqueConstraint(
                fields=["tool", "title"],
                condition=Q(source_url=""),
                name="ingest_document_one_per_title",
                violation_error_message="This tool already has a document with that title.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id}: {self.title}"
