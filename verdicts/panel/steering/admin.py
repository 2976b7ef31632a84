from django.contrib import admin

from verdicts.panel.steering.models import SteeringFlag


@admin.register(SteeringFlag)
class SteeringFlagAdmin(admin.ModelAdmin):
    """Written by the detector whenever a tool is saved or queued for the panel; read here."""

    list_display = ["tool", "rule", "source", "excerpt", "rules_version", "found_at"]
    list_filter = ["rule", "group", "rules_version", ("tool", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["tool__name", "tool__slug", "source", "excerpt"]
    list_select_related = ["tool"]
    fields = [
        "tool", "source", "rule", "group", "start", "end", "excerpt", "context",
        "rules_version", "found_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
