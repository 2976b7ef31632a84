from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.db.models.functions import Length
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from verdicts.catalog.models import Tool
from verdicts.ingest.models import (
    ImportSource,
    QueuedTool,
    ToolDocument,
    ToolFactChange,
    ToolFactSource,
    ToolRegistryCheck,
)
from verdicts.ingest.review import (
    QUEUE_KINDS,
    fact_changes_review,
    is_placeholder_category,
    queue_kinds,
    queued_tool_publish,
    review_queue,
)
from verdicts.panel.steering.models import SteeringFlag


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
    """Written by `verdicts import` (and marked reviewed in the review queue); read here."""

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
    list_display = [
        "tool",
        "fact",
        "old_value",
        "new_value",
        "source_url",
        "read_at",
        "reviewed_at",
    ]
    list_filter = [*ImportedReadOnly.list_filter, ("reviewed_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "read_at"


@admin.register(ToolRegistryCheck)
class ToolRegistryCheckAdmin(ImportedReadOnly):
    list_display = ["tool", "registry", "artifact", "checked_url", "found", "checked_at"]
    list_filter = ["found", "registry", ("tool", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["tool__name", "tool__slug", "registry", "artifact", "checked_url"]
    date_hierarchy = "checked_at"


SEEN_FIELD = "changes_seen_up_to"


class ReviewActionForm(helpers.ActionForm):
    """The queue's action form, carrying the newest fact change when the page was drawn, so
    that marking changes reviewed never marks one the editor has not seen."""

    changes_seen_up_to = forms.IntegerField(
        required=False, min_value=0, widget=forms.HiddenInput, label=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            newest = ToolFactChange.objects.aggregate(newest=Max("pk"))["newest"]
            self.fields[SEEN_FIELD].initial = newest or 0


def seen_up_to(request: HttpRequest) -> int | None:
    try:
        return forms.IntegerField(min_value=0).clean(request.POST.get(SEEN_FIELD))
    except ValidationError:
        return None


def refusal_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()
        )
    return " ".join(error.messages)


def shown_url(url: str) -> SafeString:
    """A source URL as text, linked only when it is a web URL (an import's `file://` is not)."""
    if url.startswith(("https://", "http://")):
        return format_html('<a href="{}" rel="noreferrer">{}</a>', url, url)
    return format_html("{}", url)


def changelist_for(model, tool: Tool) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?tool__id__exact={tool.pk}"


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind, label) for kind, (label, _) in QUEUE_KINDS.items()]

    def queryset(self, request, queryset):
        if self.value() in QUEUE_KINDS:
            return queryset.filter(**{QUEUE_KINDS[self.value()][1]: True})
        return queryset


@admin.register(QueuedTool)
class QueuedToolAdmin(admin.ModelAdmin):
    """The editors' review queue. Tools are edited on their own change form, linked from here."""

    list_display = ["tool", "status", "category_shown", "kinds", "details", "records"]
    list_display_links = None
    list_filter = [KindFilter]
    search_fields = ["name", "slug"]
    list_per_page = 50
    action_form = ReviewActionForm
    actions = ["publish", "mark_reviewed"]

    def get_queryset(self, request):
        return review_queue()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("catalog.change_tool")

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("ingest.change_toolfactchange")

    @admin.display(description="Tool", ordering="name")
    def tool(self, tool: QueuedTool) -> SafeString:
        edit = reverse("admin:catalog_tool_change", args=[tool.pk])
        return format_html('<a href="{}">{}</a><br><small>{}</small>', edit, tool.name, tool.slug)

    @admin.display(description="Category", ordering="category__name")
    def category_shown(self, tool: QueuedTool) -> SafeString:
        if is_placeholder_category(tool):
            return format_html('<strong class="queue-flag">{}: choose one</strong>', tool.category)
        return format_html("{}", tool.category)

    @admin.display(description="In the queue as")
    def kinds(self, tool: QueuedTool) -> SafeString:
        labels = [QUEUE_KINDS[kind][0] for kind in queue_kinds(tool)]
        return render_to_string("admin/ingest/queuedtool/kinds.html", {"labels": labels})

    @admin.display(description="What to review")
    def details(self, tool: QueuedTool) -> SafeString:
        kinds = queue_kinds(tool)
        by_url: dict[str, dict] = {}
        for source in tool.queue_sources if "draft" in kinds else []:
            read = by_url.setdefault(source.source_url, {"facts": [], "read_at": source.read_at})
            read["facts"].append(source.fact)
            read["read_at"] = max(read["read_at"], source.read_at)
        context = {
            "sources": [{"url": shown_url(url), **read} for url, read in by_url.items()],
            "changes": [(change, shown_url(change.source_url)) for change in tool.queue_changes],
            "checks": [(check, shown_url(check.checked_url)) for check in tool.queue_checks],
            "flags": tool.queue_flags,
        }
        return render_to_string("admin/ingest/queuedtool/details.html", context)

    @admin.display(description="Records")
    def records(self, tool: QueuedTool) -> SafeString:
        links = {
            "Fact changes": changelist_for(ToolFactChange, tool),
            "Fact sources": changelist_for(ToolFactSource, tool),
            "Registry checks": changelist_for(ToolRegistryCheck, tool),
            "Steering flags": changelist_for(SteeringFlag, tool),
        }
        return render_to_string("admin/ingest/queuedtool/records.html", {"links": links})

    @admin.action(description="Publish the selected drafts", permissions=["publish"])
    def publish(self, request, queryset):
        published, already, refused = [], [], []
        for tool in queryset:
            try:
                (published if queued_tool_publish(tool=tool) else already).append(tool.name)
            except ValidationError as error:
                refused.append(f"Not published “{tool.name}”: {refusal_text(error)}")
        for refusal in refused:
            self.message_user(request, refusal, messages.ERROR)
        if published:
            self.message_user(request, f"Published: {', '.join(published)}.", messages.SUCCESS)
        if already:
            self.message_user(request, f"Already published: {', '.join(already)}.", messages.INFO)
        if not (published or already or refused):
            # A second submission of the same form: the tools it named have left the queue.
            self.message_user(request, "None of the selected tools is queued any more.")

    @admin.action(description="Mark the selected tools' changes reviewed", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        seen = seen_up_to(request)
        if seen is None:
            stale = "Nothing marked: the form was incomplete. Reload the queue and try again."
            self.message_user(request, stale, messages.ERROR)
            return
        marked = fact_changes_review(
            tool_ids=queryset.values_list("pk", flat=True), seen_up_to=seen
        )
        if marked:
            self.message_user(
                request, f"Marked {marked} fact change(s) reviewed.", messages.SUCCESS
            )
        else:
            self.message_user(
                request, "Nothing to mark: the selected tools have no unreviewed changes."
            )


@admin.register(ImportSource)
class ImportSourceAdmin(admin.ModelAdmin):
    """What each configured source did last; sources are added with `verdicts sources add`,
    which checks that an importer reads the target."""

    list_display = ["target", "kind", "last_run_at", "last_outcome", "running_since"]
    list_filter = ["kind"]
    search_fields = ["target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
