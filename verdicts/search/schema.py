"""The search index in SQL, one variant per database: its tables, the triggers that keep it in
step with the catalog, and the statements that rebuild it.

The triggers live in the database, not in Django signals, so that ORM saves, `update()`,
admin edits and raw SQL all reach the index. Changing this SQL needs a new migration that
drops and recreates what changed; migration 0001 runs it as it is.
"""

from dataclasses import dataclass

TOOL_TABLE = "search_tooldocument"
COMPARISON_TABLE = "search_comparisondocument"

# Columns that, changed on one table, change some document: its words, or whether it is shown
# (a tool's status, a comparison's publication; a comparison is shown only while both its tools
# are). Anything else (prices, other dates) leaves the index alone.
TOOL_WORDS = ("name", "tagline", "description", "category_id", "vendor_id", "status")
COMPARISON_WORDS = ("title", "tool_a_id", "tool_b_id", "published_at")
# Category and vendor names reach tools and comparisons through these columns of a tool.
NAMED_BY = {"catalog_category": "category_id", "catalog_vendor": "vendor_id"}

COMPARISON_JOINS = """compare_comparison k
  JOIN catalog_tool a ON a.id = k.tool_a_id JOIN catalog_tool b ON b.id = k.tool_b_id
  JOIN catalog_vendor va ON va.id = a.vendor_id JOIN catalog_vendor vb ON vb.id = b.vendor_id
  JOIN catalog_category ca ON ca.id = a.category_id
  JOIN catalog_category cb ON cb.id = b.category_id"""
TOOL_JOINS = """catalog_tool t JOIN catalog_category c ON c.id = t.category_id
  JOIN catalog_vendor v ON v.id = t.vendor_id"""
# Whether a document may be shown, as the catalog's published() querysets decide it.
TOOL_VISIBLE = "t.status = 'published'"
COMPARISON_VISIBLE = (
    "(k.published_at IS NOT NULL AND a.status = 'published' AND b.status = 'published')"
)


@dataclass(frozen=True)
class IndexSQL:
    """Statements for one database: create (tables and triggers), drop, and rebuild."""

    create: list[str]
    drop: list[str]
    rebuild: list[str]


def changed(columns: tuple[str, ...], *, distinct: str, old: str = "OLD", new: str = "NEW") -> str:
    return " OR ".join(f"{old}.{column} {distinct} {new}.{column}" for column in columns)


# SQLite: two FTS5 tables whose rowid is the tool's or comparison's id. unicode61 keeps
# diacritics, as PostgreSQL's simple configuration does, so both answer alike. The `visible`
# column holds the token 1 when the item is shown, so that a search intersects it inside the
# index instead of joining the catalog for every match; searched words never reach it.
FTS5_OPTIONS = "tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'"


def sqlite_tools_insert(where: str) -> str:
    return (
        f"INSERT INTO {TOOL_TABLE} (rowid, name, tagline, description, category, vendor, visible) "
        "SELECT t.id, t.name, t.tagline, t.description, c.name, v.name, "
        f"CASE WHEN {TOOL_VISIBLE} THEN '1' ELSE '' END FROM {TOOL_JOINS} "
        f"WHERE {where};"
    )


def sqlite_comparisons_insert(where: str) -> str:
    return (
        f"INSERT INTO {COMPARISON_TABLE} "
        "(rowid, title, tools, taglines, vendors, categories, visible) "
        "SELECT k.id, k.title, a.name || ' ' || b.name, a.tagline || ' ' || b.tagline, "
        f"va.name || ' ' || vb.name, ca.name || ' ' || cb.name, "
        f"CASE WHEN {COMPARISON_VISIBLE} THEN '1' ELSE '' END FROM {COMPARISON_JOINS} "
        f"WHERE {where};"
    )


def sqlite_comparisons_of_tools(where: str) -> str:
    """Delete, then insert again, the documents of comparisons whose tools match `where`."""
    return (
        f"DELETE FROM {COMPARISON_TABLE} WHERE rowid IN (SELECT k.id FROM compare_comparison k "
        "JOIN catalog_tool a ON a.id = k.tool_a_id JOIN catalog_tool b ON b.id = k.tool_b_id "
        f"WHERE {where}); " + sqlite_comparisons_insert(where)
    )


def sqlite_sql() -> IndexSQL:
    tool_changed = changed(TOOL_WORDS, distinct="IS NOT")
    comparison_changed = changed(COMPARISON_WORDS, distinct="IS NOT")
    create = [
        f"CREATE VIRTUAL TABLE {TOOL_TABLE} USING fts5("
        f"name, tagline, description, category, vendor, visible, {FTS5_OPTIONS})",
        f"CREATE VIRTUAL TABLE {COMPARISON_TABLE} USING fts5("
        f"title, tools, taglines, vendors, categories, visible, {FTS5_OPTIONS})",
        "CREATE TRIGGER search_tool_insert AFTER INSERT ON catalog_tool BEGIN "
        + sqlite_tools_insert("t.id = NEW.id")
        + " END",
        f"CREATE TRIGGER search_tool_update AFTER UPDATE OF {', '.join(TOOL_WORDS)} "
        f"ON catalog_tool WHEN {tool_changed} BEGIN "
        f"DELETE FROM {TOOL_TABLE} WHERE rowid = OLD.id; "
        + sqlite_tools_insert("t.id = NEW.id")
        + sqlite_comparisons_of_tools("k.tool_a_id = NEW.id OR k.tool_b_id = NEW.id")
        + " END",
        "CREATE TRIGGER search_tool_delete AFTER DELETE ON catalog_tool BEGIN "
        f"DELETE FROM {TOOL_TABLE} WHERE rowid = OLD.id; END",
        "CREATE TRIGGER search_comparison_insert AFTER INSERT ON compare_comparison BEGIN "
        + sqlite_comparisons_insert("k.id = NEW.id")
        + " END",
        f"CREATE TRIGGER search_comparison_update AFTER UPDATE OF {', '.join(COMPARISON_WORDS)} "
        f"ON compare_comparison WHEN {comparison_changed} BEGIN "
        f"DELETE FROM {COMPARISON_TABLE} WHERE rowid = OLD.id; "
        + sqlite_comparisons_insert("k.id = NEW.id")
        + " END",
        "CREATE TRIGGER search_comparison_delete AFTER DELETE ON compare_comparison BEGIN "
        f"DELETE FROM {COMPARISON_TABLE} WHERE rowid = OLD.id; END",
    ]
    for table, column in NAMED_BY.items():
        field = column.removesuffix("_id")
        create.append(
            f"CREATE TRIGGER search_{field}_rename AFTER UPDATE OF name ON {table} "
            f"WHEN OLD.name IS NOT NEW.name BEGIN "
            f"UPDATE {TOOL_TABLE} SET {field} = NEW.name "
            f"WHERE rowid IN (SELECT id FROM catalog_tool WHERE {column} = NEW.id); "
            + sqlite_comparisons_of_tools(f"a.{column} = NEW.id OR b.{column} = NEW.id")
            + " END"
        )
    triggers = [statement.split()[2] for statement in create if "TRIGGER" in statement[:20]]
    return IndexSQL(
        create=create,
        drop=[f"DROP TRIGGER IF EXISTS {name}" for name in triggers]
        + [f"DROP TABLE IF EXISTS {TOOL_TABLE}", f"DROP TABLE IF EXISTS {COMPARISON_TABLE}"],
        rebuild=[
            f"DELETE FROM {TOOL_TABLE}",
            f"DELETE FROM {COMPARISON_TABLE}",
            sqlite_tools_insert("1"),
            sqlite_comparisons_insert("1"),
        ],
    )


# PostgreSQL: a tsvector per tool and comparison with a GIN index, beside whether the item is
# shown and its own name (which orders name hits), so that a search reads only this table.
# Every run of characters that is not a letter or digit becomes a space before parsing, so the
# parser splits words where FTS5's unicode61 does ("SmolVLM-3B" is "smolvlm" and "3b" in both).
PG_FUNCTIONS = f"""
CREATE FUNCTION search_vector(body text, weight "char") RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple'::regconfig,
    regexp_replace(coalesce(body, ''), '[^[:alnum:]]+', ' ', 'g')), weight) $$;

CREATE FUNCTION search_tools_reindex(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {TOOL_TABLE} WHERE rowid = ANY(ids);
  INSERT INTO {TOOL_TABLE} (rowid, visible, name, document)
  SELECT t.id, {TOOL_VISIBLE}, t.name, search_vector(t.name, 'A') || search_vector(t.tagline, 'B')
    || search_vector(c.name || ' ' || v.name, 'C') || search_vector(t.description, 'D')
  FROM {TOOL_JOINS} WHERE t.id = ANY(ids);
END $$;

CREATE FUNCTION search_comparisons_reindex(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {COMPARISON_TABLE} WHERE rowid = ANY(ids);
  INSERT INTO {COMPARISON_TABLE} (rowid, visible, name, document)
  SELECT k.id, {COMPARISON_VISIBLE}, k.title,
    search_vector(k.title, 'A') || search_vector(a.name || ' ' || b.name, 'B')
    || search_vector(a.tagline || ' ' || b.tagline, 'C')
    || search_vector(va.name || ' ' || vb.name || ' ' || ca.name || ' ' || cb.name, 'D')
  FROM {COMPARISON_JOINS} WHERE k.id = ANY(ids);
END $$;

CREATE FUNCTION search_comparisons_of_tools(tool_ids bigint[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_comparisons_reindex(ARRAY(SELECT id FROM compare_comparison
    WHERE tool_a_id = ANY(tool_ids) OR tool_b_id = ANY(tool_ids)));
END $$;

-- Statement-level triggers see every row a statement wrote at once (transition tables), so a
-- bulk update reindexes in one pass rather than once per row.
CREATE FUNCTION search_tools_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {TOOL_TABLE} WHERE rowid IN (SELECT id FROM old_rows);
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT id FROM new_rows);
  ELSE
    ids := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE {changed(TOOL_WORDS, distinct="IS DISTINCT FROM", old="o", new="n")});
  END IF;
  IF cardinality(ids) > 0 THEN
    PERFORM search_tools_reindex(ids);
    IF TG_OP = 'UPDATE' THEN PERFORM search_comparisons_of_tools(ids); END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION search_comparisons_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {COMPARISON_TABLE} WHERE rowid IN (SELECT id FROM old_rows);
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT id FROM new_rows);
  ELSE
    ids := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE {changed(COMPARISON_WORDS, distinct="IS DISTINCT FROM", old="o", new="n")});
  END IF;
  IF cardinality(ids) > 0 THEN PERFORM search_comparisons_reindex(ids); END IF;
  RETURN NULL;
END $$;

-- A renamed category or vendor: TG_ARGV[0] names the tool column that points at it.
CREATE FUNCTION search_name_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE tool_ids bigint[];
BEGIN
  EXECUTE format('SELECT ARRAY(SELECT id FROM catalog_tool WHERE %I = $1)', TG_ARGV[0])
    INTO tool_ids USING NEW.id;
  PERFORM search_tools_reindex(tool_ids);
  PERFORM search_comparisons_of_tools(tool_ids);
  RETURN NULL;
END $$;
"""
PG_FUNCTION_NAMES = (
    "search_name_changed()",
    "search_comparisons_written()",
    "search_tools_written()",
    "search_comparisons_of_tools(bigint[])",
    "search_comparisons_reindex(bigint[])",
    "search_tools_reindex(bigint[])",
    'search_vector(text, "char")',
)
# Which transition tables each kind of statement trigger names.
TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def postgresql_sql() -> IndexSQL:
    triggers = {}  # name: (table, when and what)
    for kind, table, function in (
        ("tool", "catalog_tool", "search_tools_written"),
        ("comparison", "compare_comparison", "search_comparisons_written"),
    ):
        for event, transitions in TRANSITIONS.items():
            triggers[f"search_{kind}_{event.lower()}"] = (
                table,
                f"AFTER {event} ON {table} REFERENCING {transitions} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            )
    for table, column in NAMED_BY.items():
        triggers[f"search_{column.removesuffix('_id')}_rename"] = (
            table,
            f"AFTER UPDATE OF name ON {table} FOR EACH ROW "
            "WHEN (OLD.name IS DISTINCT FROM NEW.name) "
            f"EXECUTE FUNCTION search_name_changed('{column}')",
        )
    tables = (TOOL_TABLE, COMPARISON_TABLE)
    create = [
        *(
            f"CREATE TABLE {t} (rowid bigint PRIMARY KEY, visible boolean NOT NULL, "
            "name text NOT NULL, document tsvector NOT NULL)"
            for t in tables
        ),
        *(f"CREATE INDEX {t}_gin ON {t} USING GIN (document)" for t in tables),
        PG_FUNCTIONS,
        *(f"CREATE TRIGGER {name} {body}" for name, (_, body) in triggers.items()),
    ]
    return IndexSQL(
        create=create,
        drop=[f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, (table, _) in triggers.items()]
        + [f"DROP FUNCTION IF EXISTS {name}" for name in PG_FUNCTION_NAMES]
        + [f"DROP TABLE IF EXISTS {', '.join(tables)}"],
        rebuild=[
            f"TRUNCATE {', '.join(tables)}",
            "SELECT search_tools_reindex(ARRAY(SELECT id FROM catalog_tool))",
            "SELECT search_comparisons_reindex(ARRAY(SELECT id FROM compare_comparison))",
        ],
    )


def index_sql(*, vendor: str) -> IndexSQL:
    """The index's SQL for this database vendor ("sqlite" or "postgresql")."""
    if vendor == "sqlite":
        return sqlite_sql()
    if vendor == "postgresql":
        return postgresql_sql()
    raise NotImplementedError(f"Search has no index for the {vendor} database.")
