"""The statements one vote takes, each folding its reads into its write.

1. The vote: an upsert (or a delete, to withdraw) whose SELECT finds the published target and
   decides, for a new anonymous vote, whether it is held: the voter's first sighting, or the
   address's new voters today and its counted ballots on the target, all on indexes. The
   triggers (migrations 0005, 0006) adjust the target's tally and its content stamp, and
   record a first sighting, within it.
2. The answer: the target's tally, read in the INSERT of the idempotency receipt (which does
   nothing when the key was used already) or alone when the request carries no key.

On PostgreSQL a vote first runs one more statement (`limits.vote_transaction_begin`): it
commits without waiting for the disk, and an anonymous vote takes an advisory lock on its
address, so that concurrent votes from one address cannot all slip under a cap; SQLite's
IMMEDIATE transaction already serializes writers.

Each runs on common/prepared.py's cursor: PostgreSQL plans it once per connection.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.prepared import prepared_cursor
from verdicts.votes.identity import Voter
from verdicts.votes.models import (
    PairVote,
    PairVoteTally,
    ToolVote,
    ToolVoteTally,
    VoteReceipt,
    VoteStatus,
)
from verdicts.votes.services.limits import vote_hold_sql

# The JSON object function of each database, for the answer a receipt keeps.
JSON_OBJECT = {"sqlite": "json_object", "postgresql": "jsonb_build_object"}


@dataclass(frozen=True)
class Ballot:
    """One kind of vote: its model, target and value columns, its tally and the tally's
    columns (one per value), and what its target is called in an error."""

    model: type[Model]
    target: str
    field: str
    tally: type[Model]
    columns: tuple[str, ...]
    noun: str

    def targets(self, slug: str, *columns: str) -> tuple[str, tuple]:
        """The published target with that slug, as a subquery of `columns` ((id, slug) when
        none are named), and its parameters."""
        sql, params, at = _targets_compiled(
            self.model, connection.vendor, columns or ("id", "slug")
        )
        return sql, (*params[:at], slug, *params[at + 1 :])


TOOL = Ballot(ToolVote, "tool_id", "choice", ToolVoteTally, ("ship", "skip"), "tool")
PAIR = Ballot(PairVote, "comparison_id", "pick", PairVoteTally, ("a", "b", "tie"), "comparison")


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Stands for the slug while the subquery is compiled, so its place among the parameters is found.
_SLUG = "\x00slug"


@cache
def _targets_compiled(
    model: type[Model], vendor: str, columns: tuple[str, ...]
) -> tuple[str, tuple, int]:
    """The target subquery compiled once per process and database: building it through the ORM
    costs more than the vote's own statements."""
    published = (Tool if model is ToolVote else Comparison).objects.published()
    sql, params = published.filter(slug=_SLUG).values(*columns).query.sql_with_params()
    return f"({sql})", tuple(params), tuple(params).index(_SLUG)


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def ballot_set(*, ballot: Ballot, slug: str, voter: Voter, value: str, now: datetime) -> str:
    """Set the voter's vote on the published target to value; its status, "" when no target.

    A new vote may be held; a changed one keeps its status (a voided vote stays void). The
    same value again keeps its updated_at: nothing changed, so no figure (the votes since a
    rankings recompute) moves and the tally triggers stamp no page.
    """
    targets, target_params = ballot.targets(slug)
    reason, reason_params = vote_hold_sql(
        voter=voter, votes_table=_table(ballot.model), target_column=ballot.target, now=now
    )
    table = _table(ballot.model)
    sql = (
        f"INSERT INTO {table} ({ballot.target}, voter_key, {ballot.field}, "
        "address_hash, status, hold_reason, created_at, updated_at) "
        f"SELECT hold.id, %s, %s, %s, CASE WHEN hold.reason = '' THEN '{VoteStatus.COUNTED}' "
        f"ELSE '{VoteStatus.HELD}' END, hold.reason, %s, %s "
        f"FROM (SELECT target.id, {reason} AS reason FROM {targets} target) hold WHERE true "
        f"ON CONFLICT ({ballot.target}, voter_key) DO UPDATE SET "
        f"{ballot.field} = excluded.{ballot.field}, address_hash = excluded.address_hash, "
        f"updated_at = CASE WHEN {table}.{ballot.field} = excluded.{ballot.field} "
        f"THEN {table}.updated_at ELSE excluded.updated_at END RETURNING status"
    )
    stamp = _when(now)
    params = (voter.key, value, voter.address_hash, stamp, stamp, *reason_params, *target_params)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else ""


def ballot_withdraw(*, ballot: Ballot, slug: str, voter: Voter) -> str:
    """Delete the voter's vote on the published target; its status, "" when there was none."""
    targets, target_params = ballot.targets(slug, "id")
    sql = (
        f"DELETE FROM {_table(ballot.model)} WHERE voter_key = %s "
        f"AND {ballot.target} IN {targets} RETURNING status"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, (voter.key, *target_params))
        row = cursor.fetchone()
    return row[0] if row else ""


def ballot_counts(*, ballot: Ballot, slug: str) -> tuple[str, tuple[int, ...]] | None:
    """The published target's slug and tally, or None when there is no such target."""
    targets, target_params = ballot.targets(slug)
    counts = ", ".join(f"COALESCE(tally.{c}, 0)" for c in ballot.columns)
    sql = (
        f"SELECT target.slug, {counts} FROM {targets} target "
        f"LEFT JOIN {_table(ballot.tally)} tally ON tally.{ballot.target} = target.id"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, target_params)
        row = cursor.fetchone()
    return (row[0], tuple(row[1:])) if row else None


def ballot_receipt_keep(
    *,
    ballot: Ballot,
    slug: str,
    voter: Voter,
    value: str,
    key: str,
    fingerprint: str,
    now: datetime,
) -> dict[str, Any] | None:
    """Store the answer under the key, built in SQL from the target's tally after the vote;
    the answer, or None when the key was used already or there is no such target (nothing is
    stored then). The answer has the form of ToolVoteCast.receipt or PairVoteCast.receipt."""
    targets, target_params = ballot.targets(slug)
    obj = JSON_OBJECT[connection.vendor]
    count = {c: f"COALESCE(tally.{c}, 0)" for c in ballot.columns}
    # The voter's value now, JSON null when withdrawn.
    mine = "CAST(%s AS TEXT)"
    if ballot is TOOL:
        total = f"{count['ship']} + {count['skip']}"
        figures = f"{obj}('count', {count['ship']}, 'total', {total})"
        body = f"{obj}('tool', target.slug, 'choice', {mine}, 'community', {figures})"
    else:
        picks = ", ".join(f"'{c}', {count[c]}" for c in ballot.columns)
        body = f"{obj}('comparison', target.slug, 'pick', {mine}, 'picks', {obj}({picks}))"
    key_column = connection.ops.quote_name("key")
    sql = (
        f"INSERT INTO {_table(VoteReceipt)} (voter_key, {key_column}, fingerprint, answer, "
        f"created_at) SELECT %s, %s, %s, {body}, %s FROM {targets} target "
        f"LEFT JOIN {_table(ballot.tally)} tally ON tally.{ballot.target} = target.id WHERE true "
        f"ON CONFLICT (voter_key, {key_column}) DO NOTHING RETURNING answer"
    )
    params = (voter.key, key, fingerprint, value or None, _when(now), *target_params)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])
