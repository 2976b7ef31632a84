"""Community vote endpoints and stored rankings.

Votes change state, so they are POST only and checked against CSRF like the site's forms: a
browser's Sec-Fetch-Site or Origin header, or else Django's token (the `csrftoken` cookie's
value in an `X-CSRFToken` header) for clients that send neither.
"""

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from verdicts.api.schemas import ErrorOut, ShareOut, Slug, UnprocessableOut
from verdicts.api.serializers import share_dict
from verdicts.catalog.selectors import category_get
from verdicts.common.csrf import csrf_refusal
from verdicts.votes.identity import Voter, voter_cookie_set, voter_from_request
from verdicts.votes.models import RankingEntry
from verdicts.votes.selectors import rankings_get
from verdicts.votes.services.casting import (
    IDEMPOTENCY_KEY_MAX,
    pair_vote_cast,
    tool_vote_cast,
)
from verdicts.votes.services.errors import RateLimited, VoteError

router = Router(tags=["votes"])


VOTE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: UnprocessableOut, 429: ErrorOut}
# Printable ASCII (space to tilde), the characters an HTTP header carries as they are sent.
IDEMPOTENCY_KEY_PATTERN = r"^[\x20-\x7E]*$"
IDEMPOTENCY = Header(
    "",
    alias="Idempotency-Key",
    max_length=IDEMPOTENCY_KEY_MAX,
    pattern=IDEMPOTENCY_KEY_PATTERN,
    description=f"Optional: up to {IDEMPOTENCY_KEY_MAX} printable ASCII characters. A replay "
    "with the same key returns the first answer and changes nothing; the same key with another "
    "payload, or a key too long or not printable ASCII, is refused with 422.",
)


class ToolVoteIn(Schema):
    choice: Literal["ship", "skip", "none"] = Field(
        description='"ship", "skip", or "none" to withdraw your vote.'
    )


class CommunityOut(ShareOut):
    provisional: bool = Field(description="Fewer votes than VOTES_PROVISIONAL_BELOW.")


class ToolVoteOut(Schema):
    tool: str
    choice: Literal["ship", "skip"] | None = Field(description="Your vote now; null when none.")
    community: CommunityOut


class PairVoteIn(Schema):
    pick: Literal["a", "b", "tie", "none"] = Field(
        description='"a" or "b" (the comparison\'s first or second tool), "tie" for too close '
        'to call, or "none" to withdraw your pick.'
    )


class PicksOut(Schema):
    a: int
    b: int
    tie: int


class PairVoteOut(Schema):
    comparison: str
    pick: Literal["a", "b", "tie"] | None = Field(description="Your pick now; null when none.")
    picks: PicksOut


class RankingEntryOut(Schema):
    rank: int = Field(
        description="1 + the number of tools whose 95% interval lies wholly above this one's."
    )
    tool: str
    name: str
    category: str
    score: float = Field(description="Bradley-Terry log-strength, or the ship share.")
    low: float
    high: float
    votes: int


class RankingsOut(Schema):
    scope: str = Field(description="A category slug, or empty for all tools.")
    computed_at: datetime.datetime | None = Field(description="Null until first computed.")
    next_recompute_at: datetime.datetime = Field(description="When they are next recomputed.")
    picks: int = Field(description="Head-to-head picks in the scope now.")
    ship_votes: int = Field(description="Ship or skip votes in the scope now.")
    uncounted: int = Field(description="Votes cast or changed since computed_at.")
    head_to_head: list[RankingEntryOut]
    ship_share: list[RankingEntryOut]


def vote_outcome(
    request: HttpRequest, response: HttpResponse, cast: Callable[[Voter], dict[str, Any]]
) -> tuple[int, dict[str, Any]]:
    """Cast as the request's voter (minting its cookie on the response); errors become a
    status and a detail."""
    voter = voter_from_request(request)
    voter_cookie_set(response, voter)
    try:
        return 200, cast(voter)
    except RateLimited as error:
        response["Retry-After"] = str(error.retry_after)
        return error.status, {"detail": str(error)}
    except VoteError as error:
        return error.status, {"detail": str(error)}


def tool_vote_data(*, voter: Voter, slug: str, choice: str, key: str) -> dict[str, Any]:
    """Cast a tool vote ("" withdraws) and give the answer as ToolVoteOut's fields."""
    answer = tool_vote_cast(voter=voter, tool_slug=slug, choice=choice, idempotency_key=key)
    share = answer.community
    return {
        "tool": answer.tool,
        "choice": answer.choice or None,
        "community": {**share_dict(share), "provisional": share.provisional},
    }


def pair_vote_data(*, voter: Voter, slug: str, choice: str, key: str) -> dict[str, Any]:
    """Cast a head-to-head pick ("" withdraws) and give the answer as PairVoteOut's fields."""
    answer = pair_vote_cast(voter=voter, comparison_slug=slug, pick=choice, idempotency_key=key)
    return {
        "comparison": answer.comparison,
        "pick": answer.pick or None,
        "picks": answer.picks.as_dict(),
    }


CSRF_REFUSED = {
    "detail": "CSRF check failed: send Origin (browsers do), or the csrftoken cookie in "
    "X-CSRFToken."
}


def _vote(request: HttpRequest, response: HttpResponse, data, slug: str, choice: str, key: str):
    if csrf_refusal(request) is not None:
        return Status(403, CSRF_REFUSED)
    cast = partial(data, slug=slug, choice="" if choice == "none" else choice, key=key)
    return Status(*vote_outcome(request, response, lambda voter: cast(voter=voter)))


@router.post(
    "/tools/{slug}",
    response={200: ToolVoteOut, **VOTE_ERRORS},
    summary="Vote ship or skip on a tool, or withdraw the vote",
)
def vote_tool(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    body: ToolVoteIn,
    idempotency_key: str = IDEMPOTENCY,
):
    return _vote(request, response, tool_vote_data, slug, body.choice, idempotency_key)


@router.post(
    "/comparisons/{slug}",
    response={200: PairVoteOut, **VOTE_ERRORS},
    summary="Pick a side of a comparison, call it too close, or withdraw the pick",
)
def vote_comparison(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    body: PairVoteIn,
    idempotency_key: str = IDEMPOTENCY,
):
    return _vote(request, response, pair_vote_data, slug, body.pick, idempotency_key)


def _entry_dict(entry: RankingEntry) -> dict:
    return {
        "rank": entry.rank,
        "tool": entry.tool.slug,
        "name": entry.tool.name,
        "category": entry.tool.category.slug,
        "score": entry.score,
        "low": entry.low,
        "high": entry.high,
        "votes": entry.votes,
    }


def _rankings_dict(scope: str) -> dict:
    rankings = rankings_get(scope=scope)
    return {
        "scope": scope,
        "computed_at": rankings.computed_at,
        "next_recompute_at": rankings.next_at,
        "picks": rankings.picks,
        "ship_votes": rankings.ship_votes,
        "uncounted": rankings.uncounted,
        "head_to_head": [_entry_dict(entry) for entry in rankings.head_to_head],
        "ship_share": [_entry_dict(entry) for entry in rankings.ship_share],
    }


@router.get("/rankings", response=RankingsOut, summary="Stored community rankings of all tools")
def rankings_all(request: HttpRequest):
    return _rankings_dict("")


@router.get(
    "/rankings/{category}",
    response={200: RankingsOut, 404: ErrorOut},
    summary="Stored community rankings within one category",
)
def rankings_category(request: HttpRequest, category: str):
    if category_get(slug=category) is None:
        raise HttpError(404, "No category with that slug.")
    return _rankings_dict(category)
