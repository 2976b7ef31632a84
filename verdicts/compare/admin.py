from django.contrib import admin

from verdicts.compare.models import Comparison


@admin.register(Comparison)
class ComparisonAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published_at"]
    list_filter = ["published_at", "tool_a__category"]
    search_fields = ["title", "slug", "tool_a__name", "tool_b__name"]
    list_select_related = ["tool_a", "tool_b"]
    autocomplete_fields = ["tool_a", "tool_b"]
    date_hierarchy = "published_at"
