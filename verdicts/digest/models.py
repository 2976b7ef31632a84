"""Subscribers, the weekly issues and the outbox that delivers them."""

from datetime import datetime, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

WEEK = timedelta(days=7)


class Subscriber(models.Model):
    """One address on the list. Only confirmed addresses ever receive an issue."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=20, blank=True, help_text="Where the form was.")
    confirm_nonce = models.CharField(
        max_length=32, blank=True, help_text="Changes with each confirmation email; used once."
    )
    confirm_requested_at = models.DateTimeField(null=True, blank=True)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.email


class Issue(models.Model):
    """One weekly issue: a frozen snapshot of the comparisons it covers."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Built, not sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    number = models.PositiveIntegerField(unique=True)
    subject = models.CharField(max_length=200)
    covers_from = models.DateTimeField(null=True, blank=True)
    covers_until = models.DateTimeField()
    content = models.JSONField(default=dict, help_text="The comparisons and figures, as built.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    built_at = models.DateTimeField(auto_now_add=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from a sender."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"#{self.number}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("digest:issue", kwargs={"number": self.number})

    @property
    def items(self) -> list[dict]:
        return self.content.get("items", [])

    @property
    def changes(self) -> list[dict]:
        """The panel's verdict changes the issue covers; none in issues built before them."""
        return self.content.get("changes", [])

    @property
    def period(self) -> str:
        """When its comparisons came out, in words: "this week" only if they all did."""
        published = sorted(
            timezone.localtime(datetime.fromisoformat(item["published_at"])) for item in self.items
        )
        if not published or self.covers_until - published[0] <= WEEK:
            return "this week"
        first, last = published[0], published[-1]
        same_year = first.year == last.year == timezone.localtime(self.covers_until).year
        shape = "j M" if same_year else "j M Y"
        if first.date() == last.date():
            return f"on {date_format(first, shape)}"
        return f"from {date_format(first, shape)} to {date_format(last, shape)}"


class Delivery(models.Model):
    """The outbox: one row per issue and subscriber, so each gets the issue once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Handed to SMTP, not yet recorded"
        SENT = "sent", "Accepted by SMTP"
        SKIPPED = "skipped", "Skipped (unsubscribed)"
        FAILED = "failed", "Refused by SMTP"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["issue", "id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="delivery_once_per_issue_subscriber"
            )
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self) -> str:
        return f"Issue {self.issue_id} to subscriber {self.subscriber_id}: {self.status}"
