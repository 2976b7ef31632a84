"""Editors' view of votes: held and voided ones, and where votes concentrate, to void a run."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from verdicts.common.content_versions import (
    VOTES,
    comparison_scope,
    content_changed,
    tool_scope,
)
from verdicts.votes.concentration import vote_concentration_get
from verdicts.votes.models import AnonymousVoter, PairVote, ToolVote, VoteStatus
from verdicts.votes.services.errors import VoteError
from verdicts.votes.services.review import votes_review_by_address, votes_review_by_id

DAYS_CHOICES = (1, 7, 30, 365)


def _review_action(status: str, kind: str, description: str):
    def action(modeladmin, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        report = votes_review_by_id(
            tool_vote_ids=ids if kind == "tool" else [],
            pair_vote_ids=ids if kind == "pair" else [],
            status=status,
        )
        modeladmin.message_user(request, f"{report} Rankings recomputed.", messages.SUCCESS)

    action.__name__ = f"votes_{status}_{kind}"
    action.short_description = description
    return action


class VoteAdmin(admin.ModelAdmin):
    list_filter = ["status", "hold_reason"]
    search_fields = ["address_hash", "voter_key"]
    readonly_fields = ["voter_key", "address_hash", "hold_reason", "created_at", "updated_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Save an editor's change (the tally follows by trigger) and stamp the target's pages."""
        super().save_model(request, obj, form, change)
        target = obj.tool.slug if isinstance(obj, ToolVote) else obj.comparison.slug
        scope = tool_scope if isinstance(obj, ToolVote) else comparison_scope
        content_changed(VOTES, scope(target))


@admin.register(ToolVote)
class ToolVoteAdmin(VoteAdmin):
    list_display = ["tool", "choice", "status", "hold_reason", "short_address", "created_at"]
    list_select_related = ["tool"]
    raw_id_fields = ["tool"]
    change_list_template = "votes/admin/toolvote_change_list.html"
    actions = [
        _review_action(VoteStatus.VOIDED, "tool", "Void the selected votes"),
        _review_action(VoteStatus.COUNTED, "tool", "Count the selected votes"),
    ]

    @admin.display(description="Address hash")
    def short_address(self, vote: ToolVote) -> str:
        return vote.address_hash[:12]

    def get_urls(self):
        view = self.admin_site.admin_view(self.concentration_view)
        return [
            path("concentration/", view, name="votes_concentration"),
            *super().get_urls(),
        ]

    def concentration_view(self, request: HttpRequest) -> HttpResponse:
        """Top address hashes per tool and per comparison; POST voids or counts one run."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._concentration_review(request)
        try:
            days = int(request.GET.get("days", 7))
        except ValueError:
            days = 7
        days = days if days in DAYS_CHOICES else 7
        context = {
            **self.admin_site.each_context(request),
            "title": "Vote concentration",
            "opts": self.model._meta,
            "concentration": vote_concentration_get(days=days),
            "days": days,
            "days_choices": DAYS_CHOICES,
            "can_review": self.has_change_permission(request),
        }
        return TemplateResponse(request, "votes/admin/concentration.html", context)

    def _concentration_review(self, request: HttpRequest) -> HttpResponse:
        if not (
            self.has_change_permission(request) and request.user.has_perm("votes.change_pairvote")
        ):
            raise PermissionDenied
        status = {"void": VoteStatus.VOIDED, "count": VoteStatus.COUNTED}.get(
            request.POST.get("review", ""), ""
        )
        target = request.POST.get("target_id", "")
        try:
            report = votes_review_by_address(
                address_hash=request.POST.get("address_hash", ""),
                status=status,
                kind=request.POST.get("kind", ""),
                target_id=int(target) if target else None,
            )
        except (VoteError, ValueError) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, f"{report} Rankings recomputed.", messages.SUCCESS)
        back = reverse("admin:votes_concentration")
        days = request.POST.get("days", "")
        return HttpResponseRedirect(f"{back}?days={days}" if days.isdigit() else back)


@admin.register(PairVote)
class PairVoteAdmin(VoteAdmin):
    list_display = ["comparison", "pick", "status", "hold_reason", "created_at"]
    list_select_related = ["comparison__tool_a", "comparison__tool_b"]
    raw_id_fields = ["comparison"]
    actions = [
        _review_action(VoteStatus.VOIDED, "pair", "Void the selected picks"),
        _review_action(VoteStatus.COUNTED, "pair", "Count the selected picks"),
    ]


@admin.register(AnonymousVoter)
class AnonymousVoterAdmin(admin.ModelAdmin):
    list_display = ["voter_key", "address_hash", "held", "created_at"]
    list_filter = ["held"]
    search_fields = ["address_hash", "voter_key"]
    readonly_fields = ["voter_key", "address_hash", "held", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
