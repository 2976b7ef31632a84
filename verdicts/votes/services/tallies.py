"""The integrity check of the vote tallies: count the counted votes afresh, compare each
target's tally, and rebuild the ones that drifted (after a bulk load that bypassed the
triggers, say, or a restore)."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Model, Q

from verdicts.common.content_versions import VOTES, content_changed
from verdicts.votes.models import (
    PairVote,
    PairVoteTally,
    ToolVote,
    ToolVoteTally,
    VoteStatus,
)

# (kind, votes, target field, value field, tally, tally columns)
KINDS = (
    ("tool", ToolVote, "tool_id", "choice", ToolVoteTally, ("ship", "skip")),
    ("pair", PairVote, "comparison_id", "pick", PairVoteTally, ("a", "b", "tie")),
)


@dataclass(frozen=True)
class TallyDrift:
    """One target whose tally differs from a fresh count of its counted votes."""

    kind: str
    target_id: int
    stored: tuple[int, ...]
    counted: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}: tally {self.stored} != counted {self.counted}"


@dataclass(frozen=True)
class RecountReport:
    """How many targets were checked, which drifted, and whether they were rebuilt."""

    checked: int
    drift: list[TallyDrift]
    fixed: bool

    @property
    def ok(self) -> bool:
        return not self.drift


def vote_tallies_recount(*, fix: bool = True) -> RecountReport:
    """Compare every tally with a fresh count of the counted votes, writers held off meanwhile
    (SQLite's IMMEDIATE transaction; a SHARE lock on the vote tables on PostgreSQL); with fix,
    rewrite the drifted tallies and stamp the votes scope. Four queries, plus the fixes."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                tables = ", ".join(model._meta.db_table for _, model, *_ in KINDS)
                cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
        checked, drift = 0, []
        for kind, votes, target, field, tally, columns in KINDS:
            counted = _fresh_counts(votes=votes, target=target, field=field, columns=columns)
            stored = {
                row[0]: tuple(row[1:])
                for row in tally.objects.values_list(f"{target.removesuffix('_id')}", *columns)
            }
            zero = (0,) * len(columns)
            for target_id in sorted(set(counted) | set(stored)):
                checked += 1
                fresh, kept = counted.get(target_id, zero), stored.get(target_id, zero)
                if fresh != kept:
                    drift.append(TallyDrift(kind, target_id, kept, fresh))
            if fix:
                _tallies_write(
                    tally=tally,
                    target=target,
                    columns=columns,
                    rows={d.target_id: d.counted for d in drift if d.kind == kind},
                )
        if fix and drift:
            content_changed(VOTES)
    return RecountReport(checked=checked, drift=drift, fixed=fix and bool(drift))


def _fresh_counts(
    *, votes: type[Model], target: str, field: str, columns: tuple[str, ...]
) -> dict[int, tuple[int, ...]]:
    rows = (
        votes.objects.filter(status=VoteStatus.COUNTED)
        .values(target)
        .annotate(**{c: Count("id", filter=Q(**{field: c})) for c in columns})
        .values_list(target, *columns)
        .order_by()
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _tallies_write(
    *, tally: type[Model], target: str, columns: tuple[str, ...], rows: dict[int, tuple]
) -> None:
    if not rows:
        return
    tally.objects.bulk_create(
        [
            tally(**{target: pk}, **dict(zip(columns, counts, strict=True)))
            for pk, counts in rows.items()
        ],
        update_conflicts=True,
        unique_fields=[target.removesuffix("_id")],
        update_fields=list(columns),
    )
