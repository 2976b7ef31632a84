"""The vote endpoints' plain requests, answered without django-ninja's per-request machinery.

A vote is the site's one hot write. Ninja reads each parameter through a pydantic model, checks
the answer against the response schema and renders it (docs/performance.md has its share of a
vote's CPU). The views below answer the requests whose every part they can read for certain (a
POST of a JSON object with exactly the documented key and an allowed value, a valid slug, a
valid or absent Idempotency-Key) with the bytes ninja would give, refusals by the CSRF check and
by the vote rules included. Anything else goes to ninja's own operation, which answers it as the
OpenAPI schema documents, 422 shapes included. verdicts/api/tests/test_votes_direct.py holds the
two to the same answers.
"""

import json
import re
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import resolve
from django.views.decorators.csrf import csrf_exempt

from verdicts.api.schemas import Slug
from verdicts.api.votes import (
    CSRF_REFUSED,
    IDEMPOTENCY_KEY_PATTERN,
    pair_vote_data,
    tool_vote_data,
    vote_outcome,
)
from verdicts.common.csrf import csrf_refusal
from verdicts.votes.services.casting import IDEMPOTENCY_KEY_MAX

# The very rules ninja's schema checks, so that the two cannot drift apart.
(_SLUG_RULE,) = Slug.__metadata__
SLUG, SLUG_MAX = re.compile(_SLUG_RULE.pattern), _SLUG_RULE.max_length
KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
TOOL_CHOICES = {"ship": "ship", "skip": "skip", "none": ""}
PAIR_PICKS = {"a": "a", "b": "b", "tie": "tie", "none": ""}


@cache
def _ninja_view(path: str) -> Callable[..., HttpResponse]:
    """Ninja's own view for an API path, found through the API's routes alone."""
    return resolve(path, urlconf="verdicts.api.urls").func


def _plain_value(request: HttpRequest, slug: str, field: str, values: dict[str, str]) -> str | None:
    """The request's value for `field` when every part of it is plainly valid, else None."""
    if request.method != "POST" or request.content_type != "application/json":
        return None
    key = request.headers.get("Idempotency-Key", "")
    if len(slug) > SLUG_MAX or not SLUG.fullmatch(slug):
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not KEY.fullmatch(key):
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.keys() != {field}:
        return None
    value = body[field]
    return values.get(value) if isinstance(value, str) else None


def _direct(request: HttpRequest, slug: str, field: str, values: dict, data) -> HttpResponse:
    value = _plain_value(request, slug, field, values)
    if value is None:
        return _ninja_view(request.path_info)(request, slug=slug)
    response = HttpResponse(content_type="application/json; charset=utf-8")
    if csrf_refusal(request) is not None:
        response.status_code, answer = 403, CSRF_REFUSED
    else:
        key = request.headers.get("Idempotency-Key", "")
        response.status_code, answer = vote_outcome(
            request, response, lambda voter: data(voter=voter, slug=slug, choice=value, key=key)
        )
    # As ninja's renderer writes it: json.dumps with the default separators.
    response.content = json.dumps(answer)
    return response


@csrf_exempt
def tool_vote(request: HttpRequest, slug: str) -> HttpResponse:
    return _direct(request, slug, "choice", TOOL_CHOICES, tool_vote_data)


@csrf_exempt
def pair_vote(request: HttpRequest, slug: str) -> HttpResponse:
    return _direct(request, slug, "pick", PAIR_PICKS, pair_vote_data)
