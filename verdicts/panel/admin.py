from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from verdicts.panel.models import LlmCall, PanelJob, PanelRun, Persona, Review
from verdicts.panel.services.config import PanelConfigError, PanelModelMissing, panel_models_check
from verdicts.panel.services.runs import panel_run_create

# The service's no-model message names the setting; each admin path adds its own way out.
PERSONA_MODEL_HELP = "Or set a model on each persona (Reviewer panel > Personas)."
FORM_MODEL_HELP = "Or choose a model for this run in the Model field below. " + PERSONA_MODEL_HELP


def config_error_message(error: Exception, *, way_out: str = PERSONA_MODEL_HELP) -> str:
    """The error in admin words: no command-line options, the web form's own remedy."""
    if isinstance(error, PanelModelMissing):
        return f"{error} {way_out}"
    return str(error)


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
    readonly_fields = ["created_at", "run", "flags"]
    actions = ["ask_panel_again"]

    @admin.action(description="Ask the panel again about these reviews' tools")
    def ask_panel_again(self, request, queryset):
        tools = list({review.tool for review in queryset.select_related("tool")})
        try:
            run, _ = panel_run_create(tools=tools, requested_by=request.user.get_username())
        except (PanelConfigError, ValidationError) as error:
            self.message_user(request, config_error_message(error), messages.ERROR)
            return
        self.message_user(request, f"Queued panel run {run.pk}; a worker will do the calls.")


class PanelJobInline(admin.TabularInline):
    model = PanelJob
    extra = 0
    can_delete = False
    fields = ["kind", "persona", "tool", "other_tool", "model_id", "status", "attempts", "error"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PanelRunForm(forms.ModelForm):
    """Checks the models before the run is queued, so a bad one is a form error, not a 500."""

    class Meta:
        model = PanelRun
        fields = ["tools", "personas", "model"]
        help_texts = {"personas": "Leave empty to ask every active persona."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "personas" in self.fields:
            self.fields["personas"].required = False

    def clean(self):
        cleaned = super().clean()
        personas = list(cleaned.get("personas") or Persona.objects.active())
        try:
            panel_models_check(personas=personas, model=cleaned.get("model", ""))
        except PanelConfigError as error:
            raise ValidationError(config_error_message(error, way_out=FORM_MODEL_HELP)) from error
        return cleaned


@admin.register(PanelRun)
class PanelRunAdmin(admin.ModelAdmin):
    form = PanelRunForm
    list_display = ["id", "status", "model", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "created_at", "finished_at", "requested_by"]
    filter_horizontal = ["tools", "personas"]
    actions = ["run_again"]

    def get_inlines(self, request, obj):
        return [PanelJobInline] if obj else []

    def save_model(self, request, obj, form, change):
        """A run made here goes through the same service as `verdicts panel run`."""
        if change:
            raise PermissionDenied("A run cannot be changed; start a new one.")
        run, _ = panel_run_create(
            tools=list(form.cleaned_data["tools"]),
            personas=list(form.cleaned_data["personas"]) or None,
            model=form.cleaned_data["model"],
            requested_by=request.user.get_username(),
        )
        obj.pk = run.pk

    def save_related(self, request, form, formsets, change):
        return

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description="Run the panel again on the same tools")
    def run_again(self, request, queryset):
        started = 0
        for run in queryset.prefetch_related("tools", "personas"):
            try:
                _, created = panel_run_create(
                    tools=list(run.tools.all()),
                    personas=list(run.personas.filter(is_active=True)),
                    model=run.model,
                    requested_by=request.user.get_username(),
                )
            except (PanelConfigError, ValidationError) as error:
                message = config_error_message(error)
                self.message_user(request, f"Run {run.pk}: {message}", messages.ERROR)
                continue
            started += created
        self.message_user(request, f"Queued {started} run(s); a worker will do the calls.")


@admin.register(LlmCall)
class LlmCallAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "model_id",
        "status",
        "input_tokens",
        "cached_tokens",
        "output_tokens",
        "cost_usd",
        "duration_ms",
    ]
    list_filter = ["status", "model_id"]
    readonly_fields = [field.name for field in LlmCall._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
