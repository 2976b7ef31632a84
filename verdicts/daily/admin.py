"""The daily runs in the admin: read-only, each with its summary and items."""

from django.contrib import admin
from django.utils.html import format_html_join

from verdicts.common.admin import ReadOnlyModelAdmin
from verdicts.daily.models import DailyItem, DailyRun
from verdicts.daily.selectors import daily_summary_lines


class DailyItemInline(admin.TabularInline):
    model = DailyItem
    fields = ["step", "key", "status", "data", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "started_at", "finished_at", "status", "step", "publish_mode"]
    list_filter = ["status", "publish_mode"]
    fields = [
        "started_at",
        "finished_at",
        "status",
        "step",
        "publish_mode",
        "heartbeat_at",
        "summary_text",
    ]
    readonly_fields = fields
    inlines = [DailyItemInline]

    @admin.display(description="Summary")
    def summary_text(self, run: DailyRun) -> str:
        if not run.summary:
            return "Not finished yet."
        lines = daily_summary_lines(summary=run.summary)
        return format_html_join("\n", "<div>{}</div>", ((line,) for line in lines))
