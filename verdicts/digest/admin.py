from django.contrib import admin
from django.utils import timezone

from verdicts.digest.models import Delivery, Issue, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "source", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "source"]
    search_fields = ["email"]
    readonly_fields = [
        "confirm_nonce",
        "confirm_requested_at",
        "confirm_sent_at",
        "confirmed_at",
        "unsubscribed_at",
        "created_at",
    ]
    actions = ["unsubscribe"]

    @admin.action(description="Unsubscribe the selected addresses")
    def unsubscribe(self, request, queryset):
        changed = queryset.exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
            status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), confirm_nonce=""
        )
        Delivery.objects.filter(subscriber__in=queryset, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED
        )
        self.message_user(request, f"{changed} unsubscribed.")


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "status", "built_at", "send_started_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = [
        "number",
        "covers_from",
        "covers_until",
        "content",
        "status",
        "built_at",
        "send_started_at",
        "heartbeat_at",
        "sent_at",
    ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscriber", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "issue"]
    search_fields = ["subscriber__email", "message_id"]
    list_select_related = ["issue", "subscriber"]
    raw_id_fields = ["issue", "subscriber"]
    readonly_fields = [
        "issue",
        "subscriber",
        "message_id",
        "status",
        "attempts",
        "claimed_until",
        "sent_at",
        "error",
    ]

    def has_add_permission(self, request) -> bool:
        return False
