"""Generated votes in bulk: the database makes the rows itself, and the tallies are counted
once afterwards.

Through the ORM, each vote is a Python object and an upsert of its tally by trigger: ten
million take the better part of an hour. Here each chunk of targets is one INSERT ... SELECT
joining a table of targets (how many votes each gets, and how they lean) to a table of
numbers, with the tally triggers off (PostgreSQL: disabled; SQLite: dropped, then re-created
from their own stored SQL); each new vote's tally is then added in one GROUP BY per table.
Everything runs inside the caller's transaction, which holds the vote tables against other
writers (PostgreSQL's ALTER TABLE lock, SQLite's write lock), so a kill or an error leaves the
triggers and tallies as they were.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from verdicts.common.content_versions import content_clock
from verdicts.votes.models import (
    TALLY_STAMP_LEAD_SECONDS,
    PairVote,
    PairVoteTally,
    ToolVote,
    ToolVoteTally,
)

# One generated voter casts many votes; the pool is what keeps (target, voter) pairs unique.
VOTERS = 200_000
# Votes a statement inserts, about: the progress bar moves, no statement holds millions.
CHUNK = 500_000
# A multiplier coprime with VOTERS (2^6 * 5^5) walks every voter once before repeating.
STRIDES = [s for s in range(7_919, 20_000, 2) if s % 5][:500]


@dataclass(frozen=True)
class _Kind:
    """One vote table: its target column, value column, tally table and tally columns, and
    the SQL that picks a value from h (0 to 999, a hash of the vote) and the target's lean."""

    votes: str
    target: str
    value: str
    tally: str
    columns: tuple[str, ...]
    pick: str


TOOL = _Kind(
    votes=ToolVote._meta.db_table,
    target="tool_id",
    value="choice",
    tally=ToolVoteTally._meta.db_table,
    columns=("ship", "skip"),
    pick="CASE WHEN {h} < t.lean THEN 'ship' ELSE 'skip' END",
)
PAIR = _Kind(
    votes=PairVote._meta.db_table,
    target="comparison_id",
    value="pick",
    tally=PairVoteTally._meta.db_table,
    columns=("a", "b", "tie"),
    pick="CASE WHEN {h} < 100 THEN 'tie' WHEN {h} < 100 + t.lean THEN 'a' ELSE 'b' END",
)


def votes_spread(rng: random.Random, *, ids: Sequence[int], total: int) -> list[tuple[int, int]]:
    """(target id, votes) with a Pareto weight each, scaled to the total and capped by the
    voter pool: popular targets get many votes, most get a few. What rounding leaves over
    goes to the first targets with room, so the votes add up to the total (or to every
    target's cap)."""
    weights = [rng.paretovariate(1.2) for _ in ids]
    scale = total / sum(weights) if weights else 0
    counts, left = [], total
    for weight in weights:
        n = min(left, VOTERS, round(weight * scale))
        left -= n
        counts.append(n)
    for position, n in enumerate(counts):
        if not left:
            break
        extra = min(left, VOTERS - n)
        counts[position] += extra
        left -= extra
    return [(target_id, n) for target_id, n in zip(ids, counts, strict=True) if n]


def votes_bulk_insert(
    rng: random.Random,
    *,
    tools: list[tuple[int, int]],
    pairs: list[tuple[int, int]],
    seed: int,
    step: Callable[[int], object],
) -> int:
    """Insert the votes of each (target id, votes) of tools and of comparisons, counted, one
    voter each from the generated pool; add them to the tallies. Returns the votes inserted.
    Must run inside a transaction (atomic)."""
    if not connection.in_atomic_block:
        raise RuntimeError("votes_bulk_insert runs inside a transaction")
    biggest = max((n for _, n in tools + pairs), default=0)
    if not biggest:
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor, _triggers_off(cursor, [TOOL.votes, PAIR.votes]):
        _scratch_tables(cursor, numbers=biggest)
        done = 0
        for kind, spread, lean in ((TOOL, tools, (300, 900)), (PAIR, pairs, (0, 900))):
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {kind.votes}")
            (before,) = cursor.fetchone()
            for chunk in _chunks(spread):
                cursor.execute("DELETE FROM gen_targets")
                cursor.executemany(
                    "INSERT INTO gen_targets (target_id, n, base, stride, lean)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [
                        (
                            target_id,
                            n,
                            rng.randrange(VOTERS),
                            rng.choice(STRIDES),
                            rng.randint(*lean),
                        )
                        for target_id, n in chunk
                    ],
                )
                cursor.execute(_insert_sql(kind), [f"gen-{seed}-", now, now])
                inserted = sum(n for _, n in chunk)
                done += inserted
                step(inserted)
            # The tallies' stamp, as a vote's trigger would set it (verdicts/votes/stamps.py).
            stamp = content_clock() + TALLY_STAMP_LEAD_SECONDS
            cursor.execute(_tally_sql(kind), [stamp, before])
        cursor.execute("DROP TABLE gen_targets")
        cursor.execute("DROP TABLE gen_numbers")
    return done


def _chunks(spread: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    chunk, size = [], 0
    for target_id, n in spread:
        chunk.append((target_id, n))
        size += n
        if size >= CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _scratch_tables(cursor, *, numbers: int) -> None:
    """Temporary tables: the targets of one chunk, and the numbers 0 to numbers - 1."""
    cursor.execute("DROP TABLE IF EXISTS gen_targets")
    cursor.execute("DROP TABLE IF EXISTS gen_numbers")
    # BIGINT: base + i * stride passes 2^31 on PostgreSQL, whose INTEGER would overflow.
    cursor.execute(
        "CREATE TEMPORARY TABLE gen_targets (target_id BIGINT, n BIGINT, base BIGINT,"
        " stride BIGINT, lean BIGINT)"
    )
    cursor.execute("CREATE TEMPORARY TABLE gen_numbers (i BIGINT PRIMARY KEY)")
    if connection.vendor == "postgresql":
        cursor.execute("INSERT INTO gen_numbers SELECT generate_series(0, %s)", [numbers - 1])
    else:
        cursor.execute(
            "INSERT INTO gen_numbers WITH RECURSIVE n(i) AS"
            " (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %s) SELECT i FROM n",
            [numbers - 1],
        )


def _insert_sql(kind: _Kind) -> str:
    """Each target's n votes: voter (base + i * stride) mod VOTERS, distinct for i < VOTERS;
    the value from a hash of i spread over 0 to 999. %% is a literal % (parameters follow)."""
    h = "((n.i * 7919 + t.base) %% 1000)"
    return (
        f"INSERT INTO {kind.votes} ({kind.target}, voter_key, address_hash, status,"
        f" hold_reason, created_at, updated_at, {kind.value})"
        f" SELECT t.target_id, %s || CAST((t.base + n.i * t.stride) %% {VOTERS} AS TEXT),"
        f" '', 'counted', '', %s, %s, {kind.pick.format(h=h)}"
        " FROM gen_targets t JOIN gen_numbers n ON n.i < t.n ORDER BY t.target_id, n.i"
    )


def _tally_sql(kind: _Kind) -> str:
    """The triggers' work once: every vote after id `before` added to its target's tally, and
    the tally's `changed_at` moved to the stamp given (never backwards)."""
    sums = ", ".join(f"SUM(CASE WHEN {kind.value} = '{c}' THEN 1 ELSE 0 END)" for c in kind.columns)
    added = ", ".join(f"{c} = {kind.tally}.{c} + excluded.{c}" for c in kind.columns)
    old, new = f"{kind.tally}.changed_at", "excluded.changed_at"
    return (
        f"INSERT INTO {kind.tally} ({kind.target}, {', '.join(kind.columns)}, changed_at)"
        f" SELECT {kind.target}, {sums}, %s FROM {kind.votes}"
        f" WHERE id > %s AND status = 'counted' GROUP BY {kind.target}"
        f" ON CONFLICT ({kind.target}) DO UPDATE SET {added},"
        f" changed_at = CASE WHEN {new} > {old} THEN {new} ELSE {old} END"
    )


@contextmanager
def _triggers_off(cursor, tables: list[str]) -> Iterator[None]:
    """The tables' own triggers off for the block, back on after it (inside the transaction,
    so a failure rolls both back)."""
    if connection.vendor == "postgresql":
        # ALTER TABLE refuses while foreign-key checks (deferred to the commit) are pending:
        # run them now, and defer again after, as Django's constraints are by default.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    marks = ", ".join(["%s"] * len(tables))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
        tables,
    )
    triggers = cursor.fetchall()
    for name, _ in triggers:
        cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        cursor.execute(sql)
