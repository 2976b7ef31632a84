"""Documentation imported for a tool: vendor-written text the panel reads as data."""

from django.db import models
from django.db.models import Q

from verdicts.catalog.models import Tool


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


class ToolFactSource(models.Model):
    """Where a tool's fact was last read: the value that source gave, its URL (or file) and when.

    One row a fact of a tool; each import refreshes it. The value is the source's, which may
    differ from the tool's own when an editor's value was kept.
    """

    tool = models.ForeignKey("catalog.Tool", on_delete=models.CASCADE, related_name="fact_sources")
    fact = models.CharField(max_length=40)
    value = models.TextField(blank=True)
    # The normalised value an identifying fact is matched on (verdicts.ingest.identity).
    match_key = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=500)
    read_at = models.DateTimeField()

    class Meta:
        ordering = ["tool", "fact"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "fact"], name="ingest_fact_source_one_per_fact")
        ]
        indexes = [models.Index(fields=["fact", "match_key"])]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.fact}: {self.value}"


class ToolFactChange(models.Model):
    """One change an import made to a tool's fact: the old and new value, its source and date."""

    tool = models.ForeignKey("catalog.Tool", on_delete=models.CASCADE, related_name="fact_changes")
    fact = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    source_url = models.CharField(max_length=500)
    read_at = models.DateTimeField()
    # Set when an editor marks the change reviewed in the review queue; until then it is queued.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tool", "-read_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.fact}: {self.old_value!r} -> {self.new_value!r}"


class ToolRegistryCheck(models.Model):
    """What a registry said when asked for the artifact a tool names, and when.

    One row a tool and registry. `found` False marks the tool unverified: the registry answered
    that the repository, model or package does not exist (an outage records nothing).
    """

    tool = models.ForeignKey(
        "catalog.Tool", on_delete=models.CASCADE, related_name="registry_checks"
    )
    registry = models.CharField(max_length=40)
    artifact = models.CharField(max_length=300)
    checked_url = models.CharField(max_length=500)
    found = models.BooleanField()
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["tool", "registry"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "registry"], name="ingest_registry_check_one_per_registry"
            )
        ]
        indexes = [models.Index(fields=["found", "checked_at"])]

    def __str__(self) -> str:
        state = "found" if self.found else "not found"
        return f"{self.tool_id} {self.registry} {self.artifact}: {state}"


class ImportSource(models.Model):
    """A configured source the daily pipeline imports from: a feed, a Hub search, a GitHub topic.

    `target` is what `verdicts import` takes (a feed URL, `hf-search:<query>`,
    `github-topic:<topic>`). The validators of its last fetch make the next run conditional;
    the outcome of each run is kept so an operator sees what happened and when.
    """

    class Kind(models.TextChoices):
        FEED = "feed", "Feed"
        HUB_SEARCH = "hub-search", "Hugging Face Hub search"
        GITHUB_TOPIC = "github-topic", "GitHub topic"
        OTHER = "other", "Other importer target"

    target = models.CharField(max_length=500, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=300, blank=True)
    # A run's lease: set while a run holds the source, so two runs never read it at once; a
    # killed run's lease expires (see verdicts.ingest.pipeline.SOURCE_LEASE).
    running_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target"]

    def __str__(self) -> str:
        return self.target


class QueuedTool(Tool):
    """A tool as the editors' review queue lists it (see `verdicts.ingest.review`)."""

    class Meta:
        proxy = True
        verbose_name = "tool to review"
        verbose_name_plural = "review queue"
