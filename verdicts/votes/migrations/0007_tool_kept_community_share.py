"""Each tool's kept community share (catalog migration 0011 adds the columns), from its tally.

Here rather than in catalog 0011: migration 0006 rebuilds the tally table on SQLite, and these
triggers must come after it. A tally's change recomputes its tool's figure from the tally
(which the vote triggers keep), as does any write of the figure's columns; as catalog 0011's
do for the panel share. A later migration that rebuilds the tally table on SQLite must drop
catalog_tool_kept_community first (SQLite checks every trigger when it renames the table).
"""

import importlib

from django.db import migrations

KEPT = importlib.import_module("verdicts.catalog.migrations.0011_tool_kept_shares")
TABLE = "votes_toolvotetally"
COLUMNS = "ship, skip, tool_id"
TALLY = "FROM votes_toolvotetally v WHERE v.tool_id = {tool} AND v.ship + v.skip > 0"
TRIGGER = "catalog_tool_kept_community"


def community_figures(tool: str, *, real: str) -> dict[str, str]:
    """The community columns' values for the tool whose id is the SQL `tool`."""
    tally = TALLY.format(tool=tool)
    return {
        "community_share": f"COALESCE((SELECT CAST(v.ship AS {real}) / (v.ship + v.skip) {tally}),"
        " -1.0)",
        "community_count": f"COALESCE((SELECT v.ship + v.skip {tally}), 0)",
    }


FILL = f"{KEPT.touch('community_count')} IN (SELECT tool_id FROM {TABLE})"
SQLITE_TRIGGERS = [
    KEPT.sqlite_tool_trigger(TRIGGER, community_figures("catalog_tool.id", real="REAL")),
    *KEPT.sqlite_source(TABLE, COLUMNS, kept="community_count"),
]
SQLITE = [*SQLITE_TRIGGERS, FILL]
SQLITE_REVERSE = [*KEPT.sqlite_source_drop(TABLE), f"DROP TRIGGER {TRIGGER}"]
POSTGRESQL = [
    *KEPT.postgresql_tool_trigger(TRIGGER, community_figures("NEW.id", real="double precision")),
    *KEPT.postgresql_source(TABLE, COLUMNS, kept="community_count"),
    FILL,
]
POSTGRESQL_REVERSE = [
    *KEPT.postgresql_drop(TABLE, f"{TABLE}_kept_shares"),
    *KEPT.postgresql_drop("catalog_tool", TRIGGER),
]


def forwards(apps, schema_editor):
    KEPT.run(schema_editor, sqlite=SQLITE, postgresql=POSTGRESQL)


def backwards(apps, schema_editor):
    KEPT.run(schema_editor, sqlite=SQLITE_REVERSE, postgresql=POSTGRESQL_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("votes", "0006_tally_stamps"),
        ("catalog", "0011_tool_kept_shares"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
