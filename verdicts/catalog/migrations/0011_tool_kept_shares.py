"""Each tool's panel and community ship shares, kept on its row by the database itself.

The tool index sorts by either share; computing them per request for every published tool
cost most of a second at 20,000 tools. Kept on catalog_tool, they sort through an index
(status, share, count, name, id) as the name order does. The share is -1 with nothing
counted, so such tools sort last.

Triggers keep them in step with every write (services, the admin, bulk loads, raw SQL): a
change of a row a figure counts recomputes that tool's figure from the rows, never counting
up or down; so does any write of the columns themselves, as a Tool.save() from a form loaded
before the change would write back what it read. This migration keeps the panel share (from
reviews and personas); votes migration 0007 keeps the community share (from the tallies),
after votes 0006 has rebuilt the tally table.

The columns are added with ALTER TABLE, not AddField: on SQLite AddField rebuilds catalog_tool,
which drops the other migrations' triggers on it. A later migration that rebuilds
catalog_tool drops these triggers too (re-run SQLITE_TRIGGERS there), and one that rebuilds
panel_review or panel_persona must drop the triggers that read them first, as SQLite checks
every trigger when it renames the rebuilt table (test_kept_shares.py fails until then).
"""

from django.db import migrations, models

COLUMNS = (
    ("panel_share", "-1.0"),
    ("panel_count", "0"),
    ("community_share", "-1.0"),
    ("community_count", "0"),
)

# The panel's counted reviews of tool {tool}: current, not held, by an active persona
# (Review.objects.current().counted() with persona__is_active=True).
REVIEWS = """FROM panel_review r JOIN panel_persona p ON p.id = r.persona_id
    WHERE r.tool_id = {tool} AND r.is_current AND r.hold IN ('', 'accepted') AND p.is_active"""


def panel_figures(tool: str, *, real: str) -> dict[str, str]:
    """The panel columns' values for the tool whose id is the SQL `tool`."""
    reviews = REVIEWS.format(tool=tool)
    ships = "SUM(CASE WHEN r.verdict = 'ship' THEN 1 ELSE 0 END)"
    return {
        "panel_share": f"""COALESCE((SELECT CAST({ships} AS {real}) / COUNT(*) {reviews}
            HAVING COUNT(*) > 0), -1.0)""",
        "panel_count": f"(SELECT COUNT(*) {reviews})",
    }


def touch(column: str) -> str:
    """A write that only names one kept column, for its trigger to recompute its figure."""
    return f"UPDATE catalog_tool SET {column} = {column} WHERE id"


def sqlite_tool_trigger(name: str, figures: dict[str, str]) -> str:
    """Recompute `figures` after any write of their columns. SQLite fires no trigger from its
    own statements (recursive_triggers is off), so the UPDATE does not fire this again."""
    assign = ", ".join(f"{column} = {value}" for column, value in figures.items())
    return f"""CREATE TRIGGER {name} AFTER UPDATE OF {", ".join(figures)} ON catalog_tool
        BEGIN UPDATE catalog_tool SET {assign} WHERE id = NEW.id; END"""


def sqlite_source(table: str, columns: str, *, kept: str) -> list[str]:
    """Triggers on a table whose rows (each with a tool_id) a figure counts."""
    return [
        f"""CREATE TRIGGER {table}_kept_shares_insert AFTER INSERT ON {table} BEGIN
            {touch(kept)} = NEW.tool_id; END""",
        f"""CREATE TRIGGER {table}_kept_shares_delete AFTER DELETE ON {table} BEGIN
            {touch(kept)} = OLD.tool_id; END""",
        f"""CREATE TRIGGER {table}_kept_shares_update AFTER UPDATE OF {columns} ON {table}
            BEGIN {touch(kept)} IN (OLD.tool_id, NEW.tool_id); END""",
    ]


def sqlite_source_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER {table}_kept_shares_{event}" for event in ("insert", "delete", "update")]


def postgresql_tool_trigger(name: str, figures: dict[str, str]) -> list[str]:
    """Recompute `figures` before any row naming their columns is written."""
    assign = "\n".join(f"NEW.{column} := {value};" for column, value in figures.items())
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              {assign}
              RETURN NEW;
            END $$""",
        f"""CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {", ".join(figures)}
            ON catalog_tool FOR EACH ROW EXECUTE FUNCTION {name}()""",
    ]


def postgresql_source(table: str, columns: str, *, kept: str) -> list[str]:
    name = f"{table}_kept_shares"
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP <> 'INSERT' THEN
                {touch(kept)} = OLD.tool_id;
              END IF;
              IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.tool_id <> OLD.tool_id) THEN
                {touch(kept)} = NEW.tool_id;
              END IF;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {columns}
            ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()""",
    ]


def postgresql_drop(table: str, name: str) -> list[str]:
    return [f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()"]


REVIEW_COLUMNS = "is_current, hold, verdict, tool_id, persona_id"
PERSONA_TOUCH = (
    f"{touch('panel_count')} IN (SELECT tool_id FROM panel_review WHERE persona_id = NEW.id)"
)
FILL = f"{touch('panel_count')} IS NOT NULL"

SQLITE_TRIGGERS = [
    sqlite_tool_trigger("catalog_tool_kept_panel", panel_figures("catalog_tool.id", real="REAL")),
    f"""CREATE TRIGGER catalog_tool_kept_panel_insert AFTER INSERT ON catalog_tool BEGIN
        {touch("panel_count")} = NEW.id; END""",
]
SQLITE = [
    *(
        f"ALTER TABLE catalog_tool ADD COLUMN {name} "
        f"{'real' if 'share' in name else 'integer'} NOT NULL DEFAULT {default}"
        for name, default in COLUMNS
    ),
    *SQLITE_TRIGGERS,
    *sqlite_source("panel_review", REVIEW_COLUMNS, kept="panel_count"),
    f"""CREATE TRIGGER panel_persona_kept_shares AFTER UPDATE OF is_active ON panel_persona
        WHEN OLD.is_active <> NEW.is_active BEGIN {PERSONA_TOUCH}; END""",
    FILL,
]
SQLITE_REVERSE = [
    "DROP TRIGGER panel_persona_kept_shares",
    *sqlite_source_drop("panel_review"),
    "DROP TRIGGER catalog_tool_kept_panel_insert",
    "DROP TRIGGER catalog_tool_kept_panel",
    *(f"ALTER TABLE catalog_tool DROP COLUMN {name}" for name, _ in COLUMNS),
]

POSTGRESQL = [
    *(
        f"ALTER TABLE catalog_tool ADD COLUMN {name} "
        f"{'double precision' if 'share' in name else 'integer'} NOT NULL DEFAULT {default}"
        for name, default in COLUMNS
    ),
    *postgresql_tool_trigger(
        "catalog_tool_kept_panel", panel_figures("NEW.id", real="double precision")
    ),
    *postgresql_source("panel_review", REVIEW_COLUMNS, kept="panel_count"),
    f"""CREATE FUNCTION panel_persona_kept_shares() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          {PERSONA_TOUCH};
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER panel_persona_kept_shares AFTER UPDATE OF is_active ON panel_persona
        FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
        EXECUTE FUNCTION panel_persona_kept_shares()""",
    FILL,
]
POSTGRESQL_REVERSE = [
    *postgresql_drop("panel_persona", "panel_persona_kept_shares"),
    *postgresql_drop("panel_review", "panel_review_kept_shares"),
    *postgresql_drop("catalog_tool", "catalog_tool_kept_panel"),
    *(f"ALTER TABLE catalog_tool DROP COLUMN {name}" for name, _ in COLUMNS),
]


def run(schema_editor, *, sqlite: list[str], postgresql: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for statement in sqlite if vendor == "sqlite" else postgresql:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    run(schema_editor, sqlite=SQLITE, postgresql=POSTGRESQL)


def backwards(apps, schema_editor):
    run(schema_editor, sqlite=SQLITE_REVERSE, postgresql=POSTGRESQL_REVERSE)


def _field(name: str) -> models.Field:
    if "share" in name:
        return models.FloatField(default=-1.0, editable=False)
    return models.IntegerField(default=0, editable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_comparison_bottom_line_tool_logo"),
        ("panel", "0006_verdict_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="tool", name=name, field=_field(name))
                for name, _ in COLUMNS
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["status", "-panel_share", "-panel_count", "name", "id"],
                name="tool_panel_share_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["status", "-community_share", "-community_count", "name", "id"],
                name="tool_community_share_idx",
            ),
        ),
    ]
