"""The abstract base every stored thing shares, and when each part of the content last changed."""

from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ContentVersion(models.Model):
    """When one scope of the site's content ("catalog", "votes", "tool:<slug>", ...) last changed.

    `changed_at` is seconds since the epoch on the database's clock, so every web machine
    compares cached pages against one clock (verdicts/common/content_versions.py).
    """

    scope = models.CharField(max_length=200, primary_key=True)
    changed_at = models.FloatField()

    def __str__(self) -> str:
        return f"{self.scope} changed at {self.changed_at}"


class RateCounter(models.Model):
    """Hits in one fixed window of one rate-limit bucket (verdicts/common/ratelimit.py).

    Used when there is no Redis: one upsert counts a hit for every worker at once.
    """

    key = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True, help_text="Seconds since the epoch.")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
