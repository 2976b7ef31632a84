"""Every documented `verdicts` command, run as a real subprocess on a scratch site.

`call_command` skips what a real start does (system checks, argument parsing from argv), so a
command that crashes on every start can still pass in-process tests: these run the real thing.
"""

import io
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand
from PIL import Image
from pytest_httpserver import HTTPServer

from testkit.sites import (
    WORKER_STARTED,
    Site,
    assert_printed_once,
    free_port,
    run_serve,
    run_worker,
)
from verdicts.core.tests.test_docs import DOCS, documented_sections
from verdicts.llm.testing import FakeLLMServer

# What Django's documentation invites a command to override; any other BaseCommand name is
# machinery that a real start calls (a method named `check` once broke `verdicts pricing`).
OVERRIDABLE = {
    "help",
    "handle",
    "add_arguments",
    "output_transaction",
    "requires_migrations_checks",
    "requires_system_checks",
    "stealth_options",
    "suppressed_base_arguments",
}


def exercise_init(site: Site) -> None:
    # The fixture ran the first `init`; this is the second, which must change nothing.
    output = site.run("init", "--no-static")
    assert "Database already up to date." in output and "nothing to add" in output


def exercise_createsuperuser(site: Site) -> None:
    output = site.run(
        "createsuperuser",
        "--noinput",
        "--username",
        "admin",
        "--email",
        "admin@example.com",
        env={"DJANGO_SUPERUSER_PASSWORD": "a-long-test-password"},
    )
    assert "Superuser created successfully." in output


def exercise_serve(site: Site) -> None:
    output = run_serve(site)
    assert "Verdicts is serving on" in output and '"GET / HTTP/1.1" 200' in output
    # The consumer `serve` starts beside gunicorn logs through the same settings as `worker`.
    assert_printed_once(WORKER_STARTED, output)


def exercise_personas(site: Site) -> None:
    assert "builder: same in the files" in site.run("personas")


def exercise_worker(site: Site) -> None:
    output = run_worker(site)
    # Huey's consumer once added a handler of its own beside the root's: every line twice.
    assert_printed_once(WORKER_STARTED, output)
    assert_printed_once("Consumer exiting.", output)


def exercise_digest_build(site: Site) -> None:
    assert "Built issue #1" in site.run("digest", "build")


def exercise_digest_send(site: Site) -> None:
    assert "Issue #1 sent: 0 delivered" in site.run("digest", "send", "1", "--foreground")


def exercise_rankings(site: Site) -> None:
    assert "ranking entries" in site.run("rankings", "--samples", "5")


def exercise_catalog_generate(site: Site) -> None:
    output = site.run(
        "catalog", "generate", "--tools", "40", "--comparisons", "5", "--votes", "300"
    )
    assert "Generated 40 tools" in output and " 5 comparisons" in output, output
    assert "ranking entries." in output and "tools: 100%" in output, output


def exercise_votes_recount(site: Site) -> None:
    assert "Tallies OK: " in site.run("votes", "recount", "--check")
    assert "Tallies OK: " in site.run("votes", "recount")


def exercise_pricing_stale(site: Site) -> None:
    assert "plan(s) not checked in 90 days." in site.run("pricing", "stale")


def exercise_pricing_check(site: Site) -> None:
    output = site.run(
        "pricing", "check", "claude-4-sonnet", "Claude API", "--on", "2026-12-01",
        "--set", "input_per_mtok=2.50",
    )  # fmt: skip
    assert "claude-4-sonnet / Claude API: checked 2026-12-01" in output


def exercise_panel_run(site: Site) -> None:
    with FakeLLMServer() as fake:
        output = site.run(
            "panel", "run", "cursor", "--persona", "builder", "--no-head-to-head",
            "--model", f"{fake.openai_base_url}#fake-model",
            env={"VERDICTS_PANEL_WORKER_WAIT": "0"},
        )  # fmt: skip
    assert "Done." in output and fake.requests


def exercise_panel_status(site: Site) -> None:
    listing = site.run("panel", "status")
    assert "skipped  cursor  model http" in listing and "Spent this month" in listing


def exercise_panel_audit(site: Site) -> None:
    with FakeLLMServer() as fake:
        model = f"{fake.openai_base_url}#fake-model"
        asked = site.run("panel", "audit", "--model", model, "--pairs", "1")
        assert "Estimated cost: about $0.0000" in asked and "add --yes" in asked, asked
        assert not fake.requests
        output = site.run("panel", "audit", "--model", model, "--pairs", "1", "--yes")
    # This fake always picks the tool shown first: the audit must say so.
    assert f"{model} (v1): Done." in output and "Reports stored" in output, output
    assert "Flagged: Picked the same tool in both orders in only 0 of 4" in output, output


def exercise_ingest_docs(site: Site) -> None:
    notes = site.var_dir / "notes.md"
    notes.write_text("# Cursor notes\n\nAn editor built around a model.\n")
    assert site.run("ingest", "docs", "cursor", str(notes)).startswith("created: cursor")


def exercise_import(site: Site) -> None:
    tools = site.var_dir / "new-tools.json"
    entry = {
        "slug": "acme-coder", "name": "Acme Coder", "category": "coding-assistants",
        "vendor": {"slug": "acme", "name": "Acme"}, "tagline": "Codes for you",
        "description": "An assistant.", "homepage": "https://acme.example/",
    }  # fmt: skip
    tools.write_text(json.dumps([entry]))
    assert site.run("import", str(tools)).splitlines() == ["created acme-coder"]
    assert site.run("import", str(tools)).splitlines() == ["unchanged acme-coder"]


def exercise_sources(site: Site) -> None:
    tools = site.var_dir / "feed-tools.json"
    entry = {
        "slug": "beta-writer", "name": "Beta Writer", "category": "coding-assistants",
        "vendor": {"slug": "beta", "name": "Beta"}, "tagline": "Writes",
        "description": "A writer.", "homepage": "https://beta.example/",
    }  # fmt: skip
    tools.write_text(json.dumps([entry]))
    assert site.run("sources", "add", str(tools)).startswith(f"added {tools}")
    assert str(tools) in site.run("sources", "list")
    output = site.run("sources", "run").splitlines()
    assert "created beta-writer" in output and f"{tools}: 1 created" in output
    assert "1 created" in site.run("sources", "list")
    assert site.run("sources", "remove", str(tools)).startswith("removed")


def exercise_logos(site: Site) -> None:
    # A web page on loopback whose og:image is a real PNG: imported, then its logo fetched once.
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 60)).save(image, format="PNG")
    page = (
        '<html><head><title>Logo Probe</title><meta property="og:image" content="/probe.png">'
        '<meta name="description" content="Logo Probe reads receipts."></head>'
        "<body><p>Logo Probe reads receipts.</p></body></html>"
    )
    with HTTPServer(host="127.0.0.1", port=free_port()) as web:
        web.expect_request("/probe").respond_with_data(page, content_type="text/html")
        web.expect_request("/probe.png").respond_with_data(
            image.getvalue(), content_type="image/png"
        )
        env = {"VERDICTS_FETCH_ALLOW_HOSTS": f"127.0.0.1:{web.port}"}
        assert "created logo-probe" in site.run("import", web.url_for("/probe"), env=env)
        assert "1 logo(s) stored" in site.run("logos", env=env)
        assert "0 logo(s) stored" in site.run("logos", "logo-probe", env=env)  # fetched once


def exercise_verify(site: Site) -> None:
    # A fake GitHub on loopback that knows no repository: the starter tool is then unverified.
    with HTTPServer(host="127.0.0.1", port=free_port()) as github:
        github.expect_request("/repos/huggingface/smollm").respond_with_json({}, status=404)
        base = github.url_for("/").rstrip("/")
        output = site.run(
            "verify", "smolvlm-3b",
            env={
                "VERDICTS_GITHUB_API_URL": base,
                "VERDICTS_HF_API_URL": base,
                "VERDICTS_FETCH_ALLOW_HOSTS": f"127.0.0.1:{github.port}",
            },
        )  # fmt: skip
    assert "unverified smolvlm-3b: no such repository" in output, output
    assert "0 verified, 1 unverified, 0 not checked" in output


def exercise_similar_embed(site: Site) -> None:
    # `init` embedded the starter tools; the ones imported since are embedded now.
    output = site.run("similar", "embed")
    assert " unchanged." in output and "tool/s]" in output
    (counts,) = [line for line in output.splitlines() if line.endswith(" unchanged.")]
    assert not counts.startswith("0 embedded"), output
    again = site.run("similar", "embed").splitlines()
    assert again[0].startswith("0 embedded, ") and again[0].endswith(" unchanged."), again


def exercise_similar_show(site: Site) -> None:
    lines = site.run("similar", "show", "cursor").splitlines()
    assert "github-copilot  same category" in lines[0], lines


def exercise_search_rebuild(site: Site) -> None:
    # An index emptied behind the triggers' back comes back whole.
    with closing(sqlite3.connect(site.var_dir / "verdicts.sqlite3")) as db, db:
        db.execute("DELETE FROM search_tooldocument")
        tools, comparisons = (
            db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("catalog_tool", "compare_comparison")
        )
    output = site.run("search", "rebuild").strip()
    assert output == f"Indexed {tools} tools and {comparisons} comparisons.", output
    assert tools >= 26 and comparisons >= 10


def exercise_daily(site: Site) -> None:
    # No registry is reached: the fetcher refuses these loopback addresses before sending.
    nowhere = "http://127.0.0.1:9"
    with FakeLLMServer() as fake:
        output = site.run(
            "daily", "--publish", "review",
            env={
                "VERDICTS_PANEL_MODEL": f"{fake.openai_base_url}#fake-model",
                "VERDICTS_GITHUB_API_URL": nowhere,
                "VERDICTS_HF_API_URL": nowhere,
                "VERDICTS_PACKAGE_INDEX_URL": nowhere,
            },
        )  # fmt: skip
    assert "Errors: 0" in output and "written in" in output, output
    assert "Comparisons: " in output, output


def exercise_daily_status(site: Site) -> None:
    listing = site.run("daily", "status")
    assert "Done  publish review" in listing and "Reviews: " in listing, listing


# In the order they run: a later command may rely on what an earlier one made.
EXERCISES: dict[str, Callable[[Site], None]] = {
    "init": exercise_init,
    "createsuperuser": exercise_createsuperuser,
    "personas": exercise_personas,
    "pricing stale": exercise_pricing_stale,
    "pricing check": exercise_pricing_check,
    "rankings": exercise_rankings,
    "votes recount": exercise_votes_recount,
    "ingest docs": exercise_ingest_docs,
    "import": exercise_import,
    "sources": exercise_sources,
    "verify": exercise_verify,
    "logos": exercise_logos,
    "similar embed": exercise_similar_embed,
    "similar show": exercise_similar_show,
    "search rebuild": exercise_search_rebuild,
    "digest build": exercise_digest_build,
    "digest send": exercise_digest_send,
    "panel run": exercise_panel_run,
    "panel status": exercise_panel_status,
    "panel audit": exercise_panel_audit,
    "daily": exercise_daily,
    "daily status": exercise_daily_status,
    "catalog generate": exercise_catalog_generate,
    "worker": exercise_worker,
    "serve": exercise_serve,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    """A fresh install, made the documented way (`verdicts init`, static files included)."""
    scratch = Site(tmp_path_factory.mktemp("site"))
    output = scratch.run("init")
    assert "Database created" in output and "Static files collected." in output
    assert "Embedded 26 tools for their alternatives." in output
    return scratch


def test_every_documented_command_starts_and_does_its_job(site):
    documented = sorted(documented_sections(DOCS / "cli.md"))
    assert sorted(EXERCISES) == documented, "each section of docs/cli.md needs an exercise here"
    for section in documented:
        usage = site.run(*section.split(), "--help")
        assert f"usage: verdicts {section}" in usage, usage
    for exercise in EXERCISES.values():
        exercise(site)


def test_init_says_whether_it_created_migrated_or_left_the_database(tmp_path):
    fresh = Site(tmp_path)
    first = fresh.run("init", "--no-static").splitlines()[0]
    assert first.startswith("Database created: applied ") and first.endswith(" migrations.")
    created = int(first.split()[3])
    assert created > 10
    assert fresh.run("init", "--no-static").splitlines()[0] == "Database already up to date."
    fresh.run("migrate", "sessions", "zero", "--verbosity", "0")
    assert fresh.run("init", "--no-static").splitlines()[0] == (
        "Database migrated: applied 1 migration."
    )


def test_no_command_shadows_the_machinery_django_calls_on_it():
    ours = {name: app for name, app in get_commands().items() if app.startswith("verdicts.")}
    machinery = {name for name in dir(BaseCommand) if not name.startswith("__")} - OVERRIDABLE
    shadowing = {
        name: sorted(machinery & set(vars(type(load_command_class(app, name)))))
        for name, app in ours.items()
    }
    assert {name: found for name, found in shadowing.items() if found} == {}
