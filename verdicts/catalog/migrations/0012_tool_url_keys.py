"""Each tool's homepage and repository URL as the key imports match them on, kept on its row
and indexed, so that matching an import to an editor's tool is an index lookup, not a scan of
every tool's URLs (verdicts/ingest/identity.py).

The columns are added with ALTER TABLE, not AddField: on SQLite AddField rebuilds catalog_tool,
which would drop migrations 0008's and 0011's triggers on it."""

from urllib.parse import urlsplit

from django.db import migrations, models

COLUMNS = ("homepage_key", "repository_url_key")


def url_key(url: str) -> str:
    # verdicts/catalog/url_keys.py as it stood when this migration was written, frozen here.
    parts = urlsplit(url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return ""
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    return f"{host}{port}{path}"


def url_keys_fill(apps, schema_editor):
    Tool = apps.get_model("catalog", "Tool")
    rows = []
    tools = Tool.objects.exclude(homepage="", repository_url="").only("homepage", "repository_url")
    for tool in tools.iterator(chunk_size=2000):
        tool.homepage_key = url_key(tool.homepage)
        tool.repository_url_key = url_key(tool.repository_url)
        rows.append(tool)
        if len(rows) >= 2000:
            Tool.objects.bulk_update(rows, COLUMNS)
            rows = []
    Tool.objects.bulk_update(rows, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_tool_kept_shares")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="tool",
                    name=name,
                    field=models.CharField(blank=True, editable=False, max_length=200),
                )
                for name in COLUMNS
            ],
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE catalog_tool ADD COLUMN {name} varchar(200) NOT NULL DEFAULT ''",
                    f"ALTER TABLE catalog_tool DROP COLUMN {name}",
                )
                for name in COLUMNS
            ],
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(fields=["homepage_key"], name="tool_homepage_key_idx"),
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(fields=["repository_url_key"], name="tool_repository_key_idx"),
        ),
        migrations.RunPython(url_keys_fill, migrations.RunPython.noop),
    ]
