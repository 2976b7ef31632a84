from django.contrib import admin

from verdicts.panel.models import Persona, Review


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active", "model"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "lens"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["tool", "persona", "verdict", "is_current", "author", "model_id", "created_at"]
    list_filter = ["verdict", "is_current", "persona", "author"]
    search_fields = ["tool__name", "body", "author", "model_id"]
    list_select_related = ["tool", "persona"]
    autocomplete_fields = ["tool"]
    readonly_fields = ["created_at"]
