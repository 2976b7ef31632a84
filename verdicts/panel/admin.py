from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from verdicts.common.admin import ReadOnlyModelAdmin
from verdicts.common.share import Share
from verdicts.panel.audit.selectors import audit_report
from verdicts.panel.models import (
    HeldAnswer,
    Hold,
    LlmCall,
    PanelAudit,
    PanelJob,
    PanelRun,
    Persona,
    Review,
    VerdictChange,
)
from verdicts.panel.services.config import PanelConfigError, PanelModelMissing, panel_models_check
from verdicts.panel.services.holds import held_answers_decide, held_reviews_decide
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
    list_display = [
        "tool", "persona", "verdict", "is_current", "hold", "author", "model_id", "created_at",
    ]  # fmt: skip
    list_filter = ["verdict", "is_current", "hold", "persona", "author"]
    search_fields = ["tool__name", "body", "author", "model_id"]
    list_select_related = ["tool", "persona"]
    autocomplete_fields = ["tool"]
    readonly_fields = [
        "created_at", "run", "flags", "hold", "hold_reason", "counterfactual_verdict",
    ]  # fmt: skip
    actions = ["ask_panel_again", "accept_held", "drop_held"]

    @admin.action(description="Accept these held reviews: count them")
    def accept_held(self, request, queryset):
        decided = held_reviews_decide(
            review_ids=queryset.values_list("pk", flat=True), hold="accepted"
        )
        self.message_user(request, f"Accepted {decided} held review(s); they count now.")

    @admin.action(description="Drop these held reviews: never count them")
    def drop_held(self, request, queryset):
        decided = held_reviews_decide(
            review_ids=queryset.values_list("pk", flat=True), hold="dropped"
        )
        self.message_user(request, f"Dropped {decided} held review(s); they will not count.")

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


@admin.register(HeldAnswer)
class HeldAnswerAdmin(admin.ModelAdmin):
    """The editors' list of answers asked again without the vendor's text: held ones first to
    decide, then those already decided. Written by the panel; only the decision is the editor's."""

    list_display = [
        "persona", "kind", "tool", "other_tool", "answer_given", "answer_without_vendor_text",
        "hold", "hold_reason", "run", "finished_at",
    ]  # fmt: skip
    list_filter = ["hold", "kind", ("tool", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["tool__name", "other_tool__name", "hold_reason"]
    list_select_related = ["persona", "tool", "other_tool", "run", "counterfactual"]
    actions = ["accept", "drop"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The change list and its actions, never the form: the answer is the panel's.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description="Answer")
    def answer_given(self, job: HeldAnswer) -> str:
        return answer_words(job)

    @admin.display(description="Without the vendor's text")
    def answer_without_vendor_text(self, job: HeldAnswer) -> str:
        counterfactual = getattr(job, "counterfactual", None)
        return answer_words(counterfactual) if counterfactual else "not asked"

    @admin.action(description="Accept these held answers: count them")
    def accept(self, request, queryset):
        decided = held_answers_decide(
            job_ids=queryset.values_list("pk", flat=True), hold=Hold.ACCEPTED
        )
        self.message_user(request, f"Accepted {decided} held answer(s); they count now.")

    @admin.action(description="Drop these held answers: never count them")
    def drop(self, request, queryset):
        decided = held_answers_decide(
            job_ids=queryset.values_list("pk", flat=True), hold=Hold.DROPPED
        )
        self.message_user(request, f"Dropped {decided} held answer(s); they will not count.")


def answer_words(job: PanelJob) -> str:
    """A review job's verdict or a pick, as the list shows it."""
    if job.status != "done":
        return job.get_status_display()
    if job.answer.get("pick_tool"):
        return f"picks {job.answer['pick_tool']}"
    return job.answer.get("verdict", "")


def share_words(share: Share) -> str:
    return f"{share.count}/{share.total}" if share.total else "—"


@admin.register(PanelAudit)
class PanelAuditAdmin(ReadOnlyModelAdmin):
    """The self-audit's reports, read only: `verdicts panel audit` writes them."""

    list_display = [
        "started_at",
        "model_id",
        "suite_version",
        "status",
        "valid_first_time",
        "order_consistent",
        "injections_flipped",
        "self_preference",
        "calls",
        "cost_usd",
        "heartbeat_at",
        "finished_at",
    ]
    list_filter = ["status", "suite_version", "model_id"]
    search_fields = ["model_id", "error"]
    readonly_fields = [field.name for field in PanelAudit._meta.fields]

    @admin.display(description="Valid first time")
    def valid_first_time(self, audit: PanelAudit) -> str:
        return share_words(audit_report(audit).valid_first_time)

    @admin.display(description="Same pick both orders")
    def order_consistent(self, audit: PanelAudit) -> str:
        return share_words(audit_report(audit).order_consistent)

    @admin.display(description="Injections flipped")
    def injections_flipped(self, audit: PanelAudit) -> str:
        attacks = audit_report(audit).attacks
        flips = Share(sum(a.flipped.count for a in attacks), sum(a.flipped.total for a in attacks))
        return share_words(flips)

    @admin.display(description="Self-preference")
    def self_preference(self, audit: PanelAudit) -> str:
        preference = audit_report(audit).self_preference
        if preference is None or preference.points is None:
            return "not measured"
        return f"{preference.points:+d} points ({preference.vendor_name})"


@admin.register(VerdictChange)
class VerdictChangeAdmin(admin.ModelAdmin):
    """Verdict changes, read only: the panel records them with the reviews."""

    list_display = ["created_at", "tool", "persona", "verdict_before", "verdict_after"]
    list_filter = ["persona", "verdict_after"]
    search_fields = ["tool__name"]
    list_select_related = ["tool", "persona"]
    readonly_fields = [field.name for field in VerdictChange._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
