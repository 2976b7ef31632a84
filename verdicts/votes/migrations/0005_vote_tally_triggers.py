"""Triggers that keep the vote tallies and the anonymous voters' first sightings, then the
tallies filled from the votes already stored.

A trigger runs inside the statement that writes a vote row, so every writer (the vote
services, editors' reviews, the admin, bulk loads) keeps the counts honest, under the row lock
that statement already holds (PostgreSQL) or the write lock of the transaction (SQLite).
"""

from django.db import migrations

# (vote table, target column, value column, tally table, {value: tally column})
TALLIES = (
    ("votes_toolvote", "tool_id", "choice", "votes_toolvotetally", ("ship", "skip")),
    ("votes_pairvote", "comparison_id", "pick", "votes_pairvotetally", ("a", "b", "tie")),
)
VOTER_TABLE = "votes_anonymousvoter"


def _deltas(row: str, value: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"CASE WHEN {row}.{value} = '{c}' THEN 1 ELSE 0 END" for c in columns)


def _add(table: str, target: str, value: str, tally: str, columns, *, row: str, where: str):
    """An upsert adding row's vote to its target's tally (creating the tally row)."""
    names = ", ".join(columns)
    sums = ", ".join(f"{c} = {tally}.{c} + excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {tally} ({target}, {names}) SELECT {row}.{target}, "
        f"{_deltas(row, value, columns)} WHERE {where} "
        f"ON CONFLICT ({target}) DO UPDATE SET {sums}"
    )


def _subtract(target: str, value: str, tally: str, columns, *, row: str) -> str:
    sums = ", ".join(
        f"{c} = {c} - CASE WHEN {row}.{value} = '{c}' THEN 1 ELSE 0 END" for c in columns
    )
    return f"UPDATE {tally} SET {sums} WHERE {target} = {row}.{target}"


def _first_sighting(*, row: str) -> str:
    """An anonymous voter's first stored vote records it, held when the vote was held for it."""
    return (
        f"INSERT INTO {VOTER_TABLE} (voter_key, address_hash, held, created_at) "
        f"SELECT {row}.voter_key, {row}.address_hash, {row}.hold_reason = 'new_voters', "
        f"{row}.created_at WHERE {row}.voter_key LIKE 'anon:%' AND {row}.address_hash <> '' "
        "ON CONFLICT (voter_key) DO NOTHING"
    )


def _changed(value: str, target: str) -> str:
    return (
        f"(OLD.status = 'counted' OR NEW.status = 'counted') AND (OLD.{value} <> NEW.{value} "
        f"OR OLD.status <> NEW.status OR OLD.{target} <> NEW.{target})"
    )


def sqlite_sql() -> list[str]:
    statements = []
    for table, target, value, tally, columns in TALLIES:
        add = _add(table, target, value, tally, columns, row="NEW", where="NEW.status = 'counted'")
        statements += [
            f"CREATE TRIGGER {table}_tally_insert AFTER INSERT ON {table} BEGIN "
            f"{add}; {_first_sighting(row='NEW')}; END",
            f"CREATE TRIGGER {table}_tally_delete AFTER DELETE ON {table} "
            f"WHEN OLD.status = 'counted' BEGIN "
            f"{_subtract(target, value, tally, columns, row='OLD')}; END",
            f"CREATE TRIGGER {table}_tally_update AFTER UPDATE ON {table} "
            f"WHEN {_changed(value, target)} BEGIN "
            f"{_subtract(target, value, tally, columns, row='OLD')} AND OLD.status = 'counted'; "
            f"{add}; END",
        ]
    return statements


def postgresql_sql() -> list[str]:
    statements = []
    for table, target, value, tally, columns in TALLIES:
        add = _add(table, target, value, tally, columns, row="NEW", where="true")
        subtract = _subtract(target, value, tally, columns, row="OLD")
        statements += [
            f"CREATE FUNCTION {table}_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' AND OLD.status = 'counted' THEN {subtract}; END IF; "
            f"IF TG_OP <> 'DELETE' AND NEW.status = 'counted' THEN {add}; END IF; "
            f"IF TG_OP = 'INSERT' THEN {_first_sighting(row='NEW')}; END IF; "
            "RETURN NULL; END $$",
            f"CREATE TRIGGER {table}_tally_insert_delete AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_tally()",
            f"CREATE TRIGGER {table}_tally_update AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({_changed(value, target)}) EXECUTE FUNCTION {table}_tally()",
        ]
    return statements


def fill_sql() -> list[str]:
    """Each target's tally from its counted votes (the tallies are empty when this runs)."""
    statements = []
    for table, target, value, tally, columns in TALLIES:
        sums = ", ".join(f"SUM(CASE WHEN {value} = '{c}' THEN 1 ELSE 0 END)" for c in columns)
        statements.append(
            f"INSERT INTO {tally} ({target}, {', '.join(columns)}) SELECT {target}, {sums} "
            f"FROM {table} WHERE status = 'counted' GROUP BY {target}"
        )
    return statements


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP FUNCTION {table}_tally() CASCADE" for table, *_ in TALLIES]
    return [
        f"DROP TRIGGER {table}_tally_{event}"
        for table, *_ in TALLIES
        for event in ("insert", "delete", "update")
    ]


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    create = {"sqlite": sqlite_sql, "postgresql": postgresql_sql}[vendor]
    for statement in fill_sql() + create():
        schema_editor.execute(statement, params=None)


def triggers_drop(apps, schema_editor):
    for statement in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    for _, _, _, tally, _ in TALLIES:
        schema_editor.execute(f"DELETE FROM {tally}")


class Migration(migrations.Migration):
    dependencies = [("votes", "0004_vote_tallies")]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
