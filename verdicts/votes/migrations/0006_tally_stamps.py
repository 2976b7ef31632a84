"""The vote tallies carry their own content stamp, `changed_at`, moved by the same triggers that
move the counts, so a vote stamps its pages inside its own statement: no stamp row of its own
to write after the commit, and no single "votes" row that every vote waits on.

The stamp is the database clock plus TALLY_STAMP_LEAD_SECONDS (0.5), as the triggers run
before the commit (verdicts/votes/models.py says why). It never moves backwards.
"""

from importlib import import_module

from django.db import migrations, models

# The triggers as migration 0005 made them: dropped here, and made again on the way back.
TRIGGERS = import_module("verdicts.votes.migrations.0005_vote_tally_triggers")
LEAD = 0.5
CLOCK = {
    "sqlite": f"((julianday('now') - 2440587.5) * 86400.0 + {LEAD})",
    "postgresql": f"(EXTRACT(EPOCH FROM clock_timestamp()) + {LEAD})",
}
LATER = {"sqlite": "MAX", "postgresql": "GREATEST"}


def _add(vendor: str, target: str, value: str, tally: str, columns, *, where: str) -> str:
    """An upsert adding NEW's vote to its target's tally and moving the tally's stamp."""
    names = ", ".join(columns)
    sums = ", ".join(f"{c} = {tally}.{c} + excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {tally} ({target}, {names}, changed_at) SELECT NEW.{target}, "
        f"{TRIGGERS._deltas('NEW', value, columns)}, {CLOCK[vendor]} WHERE {where} "
        f"ON CONFLICT ({target}) DO UPDATE SET {sums}, "
        f"changed_at = {LATER[vendor]}({tally}.changed_at, excluded.changed_at)"
    )


def _subtract(vendor: str, target: str, value: str, tally: str, columns) -> str:
    sums = ", ".join(
        f"{c} = {c} - CASE WHEN OLD.{value} = '{c}' THEN 1 ELSE 0 END" for c in columns
    )
    return (
        f"UPDATE {tally} SET {sums}, changed_at = {LATER[vendor]}(changed_at, {CLOCK[vendor]}) "
        f"WHERE {target} = OLD.{target}"
    )


def sqlite_sql() -> list[str]:
    statements = []
    for table, target, value, tally, columns in TRIGGERS.TALLIES:
        add = _add("sqlite", target, value, tally, columns, where="NEW.status = 'counted'")
        subtract = _subtract("sqlite", target, value, tally, columns)
        statements += [
            f"CREATE TRIGGER {table}_tally_insert AFTER INSERT ON {table} BEGIN "
            f"{add}; {TRIGGERS._first_sighting(row='NEW')}; END",
            f"CREATE TRIGGER {table}_tally_delete AFTER DELETE ON {table} "
            f"WHEN OLD.status = 'counted' BEGIN {subtract}; END",
            f"CREATE TRIGGER {table}_tally_update AFTER UPDATE ON {table} "
            f"WHEN {TRIGGERS._changed(value, target)} BEGIN "
            f"{subtract} AND OLD.status = 'counted'; {add}; END",
        ]
    return statements


def postgresql_sql() -> list[str]:
    statements = []
    for table, target, value, tally, columns in TRIGGERS.TALLIES:
        add = _add("postgresql", target, value, tally, columns, where="true")
        subtract = _subtract("postgresql", target, value, tally, columns)
        statements += [
            f"CREATE FUNCTION {table}_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' AND OLD.status = 'counted' THEN {subtract}; END IF; "
            f"IF TG_OP <> 'DELETE' AND NEW.status = 'counted' THEN {add}; END IF; "
            f"IF TG_OP = 'INSERT' THEN {TRIGGERS._first_sighting(row='NEW')}; END IF; "
            "RETURN NULL; END $$",
            f"CREATE TRIGGER {table}_tally_insert_delete AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_tally()",
            f"CREATE TRIGGER {table}_tally_update AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({TRIGGERS._changed(value, target)}) EXECUTE FUNCTION {table}_tally()",
        ]
    return statements


def _drop(schema_editor) -> None:
    for statement in TRIGGERS.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def _create(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def stamping_triggers_create(apps, schema_editor):
    create = {"sqlite": sqlite_sql, "postgresql": postgresql_sql}
    _create(schema_editor, create[schema_editor.connection.vendor]())


def counting_triggers_create(apps, schema_editor):
    create = {"sqlite": TRIGGERS.sqlite_sql, "postgresql": TRIGGERS.postgresql_sql}
    _create(schema_editor, create[schema_editor.connection.vendor]())


def triggers_drop(apps, schema_editor):
    _drop(schema_editor)


HELP = (
    "When the counts last changed, plus TALLY_STAMP_LEAD_SECONDS: seconds since the epoch on "
    "the database clock, kept by the triggers; the page cache reads it as the target's stamp."
)


class Migration(migrations.Migration):
    dependencies = [("votes", "0005_vote_tally_triggers")]

    operations = [
        # The tally tables may be rebuilt below (SQLite): no trigger may name them meanwhile.
        migrations.RunPython(triggers_drop, counting_triggers_create),
        migrations.AddField(
            model_name="pairvotetally",
            name="changed_at",
            field=models.FloatField(db_default=0.0, help_text=HELP),
        ),
        migrations.AddField(
            model_name="toolvotetally",
            name="changed_at",
            field=models.FloatField(db_default=0.0, help_text=HELP),
        ),
        migrations.AddIndex(
            model_name="pairvotetally",
            index=models.Index(fields=["changed_at"], name="votes_pairv_changed_fe3b6f_idx"),
        ),
        migrations.AddIndex(
            model_name="toolvotetally",
            index=models.Index(fields=["changed_at"], name="votes_toolv_changed_ab628b_idx"),
        ),
        migrations.RunPython(stamping_triggers_create, triggers_drop),
    ]
