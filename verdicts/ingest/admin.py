from django.contrib import admin
from django.db.models.functions import Length

from verdicts.ingest.models import ToolDocument, ToolFactChange, ToolFactSource


@admin.register(ToolDocument)
class ToolDocumentAdmin(admin.ModelAdmin):
    """Documents are read and deleted here; text arrives only through `verdicts ingest docs`,
    which keeps the content hash and the size cap honest."""

    list_display = ["title", "tool", "source_url", "characters", "imported_at", "updated_at"]
    list_filter = [("tool", admin.RelatedOnlyFieldListFilter), "imported_at", "updated_at"]
    search_fields = ["title", "source_url", "tool__name", "tool__slug"]
    list_select_related = ["tool"]
    date_hierarchy = "updated_at"
    fields = ["tool", "title", "source_url", "content_sha256", "imported_at", "updated_at", "text"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The list shows lengths, so it never loads the (possibly long) texts themselves.
        return super().get_queryset(request).annotate(length=Length("text")).defer("text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Characters", ordering="length")
    def characters(self, document: ToolDocument) -> int:
        return document.length


class ImportedReadOnly(admin.ModelAdmin):
    """Written only by `verdicts import`; read here."""

    list_filter = ["fact", ("tool", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["tool__name", "tool__slug", "fact", "source_url"]
    list_select_related = ["tool"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ToolFactSource)
class ToolFactSourceAdmin(ImportedReadOnly):
    list_display = ["tool", "fact", "value", "source_url", "read_at"]


@admin.register(ToolFactChange)
class ToolFactChangeAdmin(ImportedReadOnly):
    list_display = ["tool", "fact", "old_value", "new_value", "source_url", "read_at"]
    date_hierarchy = "read_at"
