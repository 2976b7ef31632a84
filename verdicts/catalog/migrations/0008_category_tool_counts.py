"""Each category's count of published tools, kept by the database itself.

The page chrome, the home page and the category index show these counts on every request;
counting 100,000 tools each time cost more than the rest of the page. Triggers keep the
counts in step with every write (services, the admin, bulk inserts, raw SQL alike).
A later migration that makes SQLite rebuild catalog_tool drops its triggers: re-run this
one's SQL there (verdicts/catalog/tests/test_category_counts.py fails until then).
"""

from django.db import migrations

TABLE = "catalog_category_count"

SQLITE = [
    f"CREATE TABLE {TABLE} (category_id integer PRIMARY KEY, published integer NOT NULL)",
    f"""INSERT INTO {TABLE} (category_id, published)
        SELECT c.id, (SELECT COUNT(*) FROM catalog_tool t
                      WHERE t.category_id = c.id AND t.status = 'published')
        FROM catalog_category c""",
    f"""CREATE TRIGGER catalog_category_count_add AFTER INSERT ON catalog_category BEGIN
        INSERT OR REPLACE INTO {TABLE} (category_id, published) VALUES (NEW.id, 0); END""",
    f"""CREATE TRIGGER catalog_category_count_drop AFTER DELETE ON catalog_category BEGIN
        DELETE FROM {TABLE} WHERE category_id = OLD.id; END""",
    f"""CREATE TRIGGER catalog_tool_count_insert AFTER INSERT ON catalog_tool
        WHEN NEW.status = 'published' BEGIN
        UPDATE {TABLE} SET published = published + 1 WHERE category_id = NEW.category_id; END""",
    f"""CREATE TRIGGER catalog_tool_count_delete AFTER DELETE ON catalog_tool
        WHEN OLD.status = 'published' BEGIN
        UPDATE {TABLE} SET published = published - 1 WHERE category_id = OLD.category_id; END""",
    f"""CREATE TRIGGER catalog_tool_count_update AFTER UPDATE OF status, category_id ON catalog_tool
        WHEN OLD.status = 'published' OR NEW.status = 'published' BEGIN
        UPDATE {TABLE} SET published = published - (OLD.status = 'published')
            WHERE category_id = OLD.category_id;
        UPDATE {TABLE} SET published = published + (NEW.status = 'published')
            WHERE category_id = NEW.category_id; END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER catalog_tool_count_update",
    "DROP TRIGGER catalog_tool_count_delete",
    "DROP TRIGGER catalog_tool_count_insert",
    "DROP TRIGGER catalog_category_count_drop",
    "DROP TRIGGER catalog_category_count_add",
    f"DROP TABLE {TABLE}",
]

POSTGRESQL = [
    f"CREATE TABLE {TABLE} (category_id integer PRIMARY KEY, published integer NOT NULL)",
    f"""INSERT INTO {TABLE} (category_id, published)
        SELECT c.id, (SELECT COUNT(*) FROM catalog_tool t
                      WHERE t.category_id = c.id AND t.status = 'published')
        FROM catalog_category c""",
    f"""CREATE FUNCTION catalog_category_count_category() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            -- ON CONFLICT: a flush (TRUNCATE) fires no row trigger and can leave a stale row.
            INSERT INTO {TABLE} (category_id, published) VALUES (NEW.id, 0)
              ON CONFLICT (category_id) DO UPDATE SET published = 0;
          ELSE
            DELETE FROM {TABLE} WHERE category_id = OLD.id;
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER catalog_category_count_category AFTER INSERT OR DELETE ON catalog_category
        FOR EACH ROW EXECUTE FUNCTION catalog_category_count_category()""",
    f"""CREATE FUNCTION catalog_category_count_tool() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
            UPDATE {TABLE} SET published = published - 1 WHERE category_id = OLD.category_id;
          END IF;
          IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
            UPDATE {TABLE} SET published = published + 1 WHERE category_id = NEW.category_id;
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER catalog_category_count_tool
        AFTER INSERT OR DELETE OR UPDATE OF status, category_id ON catalog_tool
        FOR EACH ROW EXECUTE FUNCTION catalog_category_count_tool()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER catalog_category_count_tool ON catalog_tool",
    "DROP FUNCTION catalog_category_count_tool()",
    "DROP TRIGGER catalog_category_count_category ON catalog_category",
    "DROP FUNCTION catalog_category_count_category()",
    f"DROP TABLE {TABLE}",
]


def forwards(apps, schema_editor):
    _run(schema_editor, SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL)


def backwards(apps, schema_editor):
    sqlite = schema_editor.connection.vendor == "sqlite"
    _run(schema_editor, SQLITE_REVERSE if sqlite else POSTGRESQL_REVERSE)


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
