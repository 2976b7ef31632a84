from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html

from verdicts.catalog.models import (
    PRICE_FIELDS,
    Category,
    Comparison,
    PlanPrice,
    PricingPlan,
    StarterItem,
    Tool,
    Vendor,
)
from verdicts.catalog.services import plan_price_record, tool_publish
from verdicts.common.content_versions import CATALOG, content_changed


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "homepage"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


# The model lists its price fields first (they come from its abstract base); the form leads
# with the plan's name and unit.
PLAN_FORM_FIELDS = ["name", "unit", *PRICE_FIELDS, "notes", "source_url", "checked_on", "position"]


class PricingPlanInline(admin.StackedInline):
    model = PricingPlan
    fields = PLAN_FORM_FIELDS
    extra = 0


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "category", "status", "open_weights", "updated_at"]
    list_filter = ["status", "category", "open_weights", "entry_tier_override"]
    search_fields = ["name", "slug", "tagline", "vendor__name"]
    list_select_related = ["vendor", "category"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["vendor", "category"]
    inlines = [PricingPlanInline]
    actions = ["publish", "unpublish"]
    # Fetched by `verdicts logos` from the logo URL the intake found (verdicts/ingest/logos.py).
    readonly_fields = ["logo_stored", "logo_source", "logo_fetched_at", "logo_error"]

    @admin.display(description="Logo")
    def logo_stored(self, tool: Tool) -> str:
        if not tool.logo_url:
            return "none (the tool page shows its letter mark)"
        return format_html('<img src="{}" alt="" height="48"> {}', tool.logo_url, tool.logo.name)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is PricingPlan:
            for plan in formset.new_objects + [plan for plan, _ in formset.changed_objects]:
                plan_price_record(plan=plan)

    @admin.action(description="Publish the selected tools")
    def publish(self, request, queryset):
        published = 0
        for tool in queryset.order_by("name"):
            try:
                published += tool_publish(tool=tool)
            except ValidationError as error:
                reason = "; ".join(error.messages)
                self.message_user(request, f"{tool.name} not published: {reason}", messages.ERROR)
        if published:
            self.message_user(request, f"Published {published} tool(s).", messages.SUCCESS)

    @admin.action(description="Return the selected tools to draft")
    def unpublish(self, request, queryset):
        queryset.update(status=Tool.Status.DRAFT)
        # A queryset update sends no save signals: stamp the pages it changes here.
        content_changed(CATALOG)


class PlanPriceInline(admin.TabularInline):
    """The plan's price history: written by the save below, never edited by hand."""

    model = PlanPrice
    fields = ["recorded_on", *PRICE_FIELDS]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PricingPlan)
class PricingPlanAdmin(admin.ModelAdmin):
    list_display = ["tool", "name", "kind", "price", "currency", "checked_on"]
    list_filter = ["kind", "currency"]
    search_fields = ["tool__name", "name"]
    list_select_related = ["tool"]
    autocomplete_fields = ["tool"]
    fields = ["tool", *PLAN_FORM_FIELDS]
    inlines = [PlanPriceInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        plan_price_record(plan=obj)


@admin.register(StarterItem)
class StarterItemAdmin(admin.ModelAdmin):
    list_display = ["key", "loaded_at"]
    search_fields = ["key"]


@admin.register(Comparison)
class ComparisonAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published_at"]
    list_filter = ["published_at", "tool_a__category"]
    search_fields = ["title", "slug", "tool_a__name", "tool_b__name"]
    list_select_related = ["tool_a", "tool_b"]
    autocomplete_fields = ["tool_a", "tool_b"]
    date_hierarchy = "published_at"
    readonly_fields = ["bottom_line_updated_at"]

    def save_model(self, request, obj, form, change):
        if "bottom_line" in form.changed_data:
            # The date the page signs the editors' text with.
            obj.bottom_line_updated_at = timezone.now() if obj.bottom_line.strip() else None
        super().save_model(request, obj, form, change)
