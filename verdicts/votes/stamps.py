"""The votes scopes' content stamps, read from the tallies: the triggers that move a target's
counts move its tally's `changed_at` in the same statement (migration 0006), so a counted vote
stamps its target and the votes scope without a write of its own, and without one stamp row
that every vote would wait on. Stamps written after a commit (editors' reviews, recounts,
recomputes, a vote that outlasted the stamp's lead) stay in the common stamp table; readers
take the latest of both (verdicts/common/content_versions.py)."""

from django.db import connection

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.content_versions import VOTES, comparison_scope, tool_scope
from verdicts.votes.models import PairVoteTally, ToolVoteTally

# (scope prefix, tally, its target column, the target's model)
_TARGETS = (
    (tool_scope(""), ToolVoteTally, "tool_id", Tool),
    (comparison_scope(""), PairVoteTally, "comparison_id", Comparison),
)


def tally_stamps(scopes: list[str]) -> list[tuple[str, list]]:
    """The stamp SELECTs for the votes scope (the latest tally of all, on its index) and for
    each named tool and comparison (their tallies, by slug)."""
    quote = connection.ops.quote_name
    arms = []
    for prefix, tally, target, model in _TARGETS:
        table = quote(tally._meta.db_table)
        if VOTES in scopes:
            arms.append((f"SELECT MAX(changed_at) AS changed_at FROM {table}", []))
        slugs = [scope.removeprefix(prefix) for scope in scopes if scope.startswith(prefix)]
        if slugs:
            placeholders = ", ".join(["%s"] * len(slugs))
            arms.append(
                (
                    f"SELECT MAX(tally.changed_at) AS changed_at FROM {table} tally "
                    f"JOIN {quote(model._meta.db_table)} target ON target.id = tally.{target} "
                    f"WHERE target.slug IN ({placeholders})",
                    slugs,
                )
            )
    return arms
