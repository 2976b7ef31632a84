"""Vote forms that other apps' pages include with one tag."""

import uuid

from django import template

from verdicts.catalog.models import Comparison, Tool
from verdicts.votes.identity import voter_key_if_known
from verdicts.votes.selectors import (
    ShipShares,
    pair_vote_current,
    pick_counts,
    tool_vote_current,
)

register = template.Library()


@register.inclusion_tag("votes/_tool_vote.html", takes_context=True)
def tool_vote_form(context: template.Context, tool: Tool) -> dict:
    """Ship/skip buttons for one tool, showing the visitor's current vote."""
    request = context["request"]
    comparison = getattr(context.get("page"), "comparison", None)
    return {
        "tool": tool,
        "comparison": comparison if isinstance(comparison, Comparison) else None,
        "choice": tool_vote_current(voter_key=voter_key_if_known(request), tool_id=tool.pk),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "idempotency_key": uuid.uuid4().hex,
    }


@register.inclusion_tag("votes/_community_vote.html", takes_context=True)
def community_vote(context: template.Context, page) -> dict:
    """The head-to-head pick on a comparison page, with what the ship shares can and cannot say.

    page is the pages app's ComparisonPage.
    """
    request = context["request"]
    comparison = page.comparison
    return {
        "ship": ShipShares(
            comparison.pk,
            page.side_a.tool,
            page.side_a.community,
            page.side_b.tool,
            page.side_b.community,
        ),
        "comparison": comparison,
        "counts": pick_counts(comparison_ids=[comparison.pk])[comparison.pk],
        "pick": pair_vote_current(
            voter_key=voter_key_if_known(request), comparison_id=comparison.pk
        ),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "idempotency_key": uuid.uuid4().hex,
    }
