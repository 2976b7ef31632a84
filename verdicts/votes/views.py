"""Vote forms: plain POST, or htmx for in-place counts."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.net import next_url
from verdicts.votes.identity import Voter, voter_cookie_set, voter_from_request
from verdicts.votes.selectors import ship_shares
from verdicts.votes.services.casting import (
    PairVoteCast,
    ToolVoteCast,
    pair_vote_cast,
    tool_vote_cast,
)
from verdicts.votes.services.errors import RateLimited, VoteError

WITHDRAW = "withdraw"


def _idempotency_key(request: HttpRequest) -> str:
    return request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key", "")


def _refused(request: HttpRequest, voter: Voter, error: VoteError) -> HttpResponse:
    context = {"message": str(error)}
    if request.htmx:
        # An HX-Reswap on a 4xx answer tells common/forms.js to show it rather than drop it.
        response = render(request, "votes/_refused_fragment.html", context, status=error.status)
        response["HX-Retarget"] = "find .vote-status"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "votes/refused.html", context, status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    voter_cookie_set(response, voter)
    return response


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _comparison_of(request: HttpRequest, tool: Tool) -> Comparison | None:
    """The published comparison the vote was cast from, when it shows this tool."""
    slug = request.POST.get("comparison", "")
    if not slug:
        return None
    comparison = Comparison.objects.published().with_tools().filter(slug=slug).first()
    return (
        comparison
        if comparison and tool.pk in (comparison.tool_a_id, comparison.tool_b_id)
        else None
    )


def _vote_answer[A: (ToolVoteCast, PairVoteCast)](
    *,
    request: HttpRequest,
    cast: Callable[[Voter], A],
    swap: Callable[[A], HttpResponse],
    back: Callable[[A], str],
) -> HttpResponse:
    """Cast a form vote; htmx gets swap's fragment, a plain form a redirect to back's URL."""
    voter = voter_from_request(request)
    try:
        answer = cast(voter)
    except VoteError as error:
        return _refused(request, voter, error)
    response = swap(answer) if request.htmx else _see_other(back(answer))
    voter_cookie_set(response, voter)
    return response


@require_POST
def tool_vote(request: HttpRequest, slug: str) -> HttpResponse:
    """Ship, skip or withdraw a vote on one tool."""
    choice = request.POST.get("choice", "")
    return _vote_answer(
        request=request,
        cast=lambda voter: tool_vote_cast(
            voter=voter,
            tool_slug=slug,
            choice="" if choice == WITHDRAW else choice,
            idempotency_key=_idempotency_key(request),
        ),
        swap=lambda answer: _tool_vote_swap(request, answer),
        back=lambda answer: _tool_vote_back(request, answer),
    )


def _tool_vote_back(request: HttpRequest, answer: ToolVoteCast) -> str:
    """The page the plain form was posted from, at the form (anchors name the tool's id)."""
    tool_id = Tool.objects.values_list("pk", flat=True).get(slug=answer.tool)
    page = next_url(request, fallback=reverse("pages:tool", args=[answer.tool]))
    return f"{page}#vote-{tool_id}"


def _tool_vote_swap(request: HttpRequest, answer: ToolVoteCast) -> HttpResponse:
    tool = Tool.objects.only("pk", "slug", "name").get(slug=answer.tool)
    comparison = _comparison_of(request, tool)
    context = {
        "tool": tool,
        "comparison": comparison,
        "ship": ship_shares(comparison=comparison) if comparison else None,
        "choice": answer.choice,
        "share": answer.community,
        "next": next_url(request, fallback=tool.get_absolute_url()),
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "votes/tool_vote_swap.html", context)


@require_POST
def pair_vote(request: HttpRequest, slug: str) -> HttpResponse:
    """Pick the first tool, the second, too close to call, or withdraw the pick."""
    pick = request.POST.get("pick", "")
    return _vote_answer(
        request=request,
        cast=lambda voter: pair_vote_cast(
            voter=voter,
            comparison_slug=slug,
            pick="" if pick == WITHDRAW else pick,
            idempotency_key=_idempotency_key(request),
        ),
        swap=lambda answer: _pair_vote_swap(request, answer),
        back=lambda answer: _pair_vote_back(request, answer),
    )


def _pair_vote_back(request: HttpRequest, answer: PairVoteCast) -> str:
    """The page the plain form was posted from, at the head-to-head pick."""
    slug = answer.comparison
    comparison_id = Comparison.objects.values_list("pk", flat=True).get(slug=slug)
    page = next_url(request, fallback=reverse("pages:comparison", args=[slug]))
    return f"{page}#pick-{comparison_id}"


def _pair_vote_swap(request: HttpRequest, answer: PairVoteCast) -> HttpResponse:
    comparison = Comparison.objects.select_related("tool_a", "tool_b").get(slug=answer.comparison)
    context = {
        "comparison": comparison,
        "pick": answer.pick,
        "counts": answer.picks,
        "next": next_url(request, fallback=comparison.get_absolute_url()),
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "votes/_pick.html", context)
