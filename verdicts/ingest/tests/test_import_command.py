import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from testkit.processes import verdicts_env
from testkit.subprocesses import wait_for_other_sessions_to_end
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.ingest.models import ToolFactChange, ToolFactSource
from verdicts.ingest.tests.test_importers_file import entry
from verdicts.ingest.tests.test_importers_package import package_json


def run_import(*targets: str) -> tuple[list[str], bool]:
    """The command's lines, and whether it exited non-zero; registry checks are tested apart."""
    out = io.StringIO()
    try:
        call_command("import", "--no-check", *targets, stdout=out)
    except CommandError:
        return out.getvalue().splitlines(), True
    return out.getvalue().splitlines(), False


@pytest.mark.django_db
def test_a_file_creates_drafts_refuses_its_bad_entry_and_a_second_run_changes_nothing(tmp_path):
    CategoryFactory(slug="coding-assistants", name="Coding assistants")
    path = tmp_path / "tools.json"
    bad = entry("broken", homepage="not a url")
    path.write_text(json.dumps([entry("alpha"), bad, entry("gamma", category="No such")]))

    lines, failed = run_import(str(path))

    assert lines == [
        "created alpha",
        f"refused {path}#2: homepage: Enter a valid URL.",
        "created gamma",
    ]
    assert failed
    alpha, gamma = Tool.objects.order_by("slug")
    assert alpha.status == gamma.status == Tool.Status.DRAFT
    assert alpha.category.slug == "coding-assistants"
    assert gamma.category.slug == "uncategorised"  # the hint named no category
    assert alpha.vendor.name == "Alpha Inc"
    source = ToolFactSource.objects.get(tool=alpha, fact="licence")
    assert (source.value, source.source_url) == ("MIT", path.resolve().as_uri())
    assert not Tool.objects.filter(slug="broken").exists()

    path.write_text(json.dumps([entry("alpha"), entry("gamma", category="No such")]))
    assert run_import(str(path)) == (["unchanged alpha", "unchanged gamma"], False)
    assert Tool.objects.count() == 2 and ToolFactChange.objects.count() == 0


@pytest.mark.django_db
def test_a_tool_is_matched_by_homepage_repository_package_or_name(tmp_path, index):
    ToolFactory(slug="aider", name="Aider", homepage="https://aider.chat", licence="Apache-2.0")
    ToolFactory(slug="other", name="Other", repository_url="https://github.com/acme/other")
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_json())
    path = tmp_path / "tools.json"
    renamed = entry("other-two", name="Other Two", homepage="")
    renamed["repository_url"] = "http://www.github.com/acme/other.git/"
    path.write_text(
        json.dumps([renamed, entry("y", name="aider", homepage="", licence="Apache-2.0")])
    )

    lines, failed = run_import("pypi:aider-chat", str(path))

    assert not failed
    assert lines == [
        "updated aider (repository_url, package_name, version, release_date)",
        "updated other (licence)",
        "unchanged aider",
    ]
    assert Tool.objects.count() == 2
    aider = Tool.objects.get(slug="aider")
    # The editor's name and homepage stay; only the package index's own facts are new.
    assert aider.name == "Aider" and aider.homepage == "https://aider.chat"


@pytest.mark.django_db
def test_a_changed_licence_is_recorded_with_its_old_and_new_value_and_source(index):
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_json())
    assert run_import("pypi:aider-chat") == (["created aider-chat"], False)
    assert run_import("pypi:aider-chat") == (["unchanged aider-chat"], False)

    index.clear()
    changed = package_json(license_expression="MIT", version="0.87.0")
    index.expect_request("/pypi/aider-chat/json").respond_with_json(changed)
    lines, _ = run_import("pypi:aider-chat")

    assert lines == ["updated aider-chat (licence, version)"]
    tool = Tool.objects.get(slug="aider-chat")
    assert tool.licence == "MIT"
    change = ToolFactChange.objects.get(tool=tool, fact="licence")
    assert (change.old_value, change.new_value) == ("Apache-2.0", "MIT")
    assert change.source_url == index.url_for("/pypi/aider-chat/json")
    version = ToolFactSource.objects.get(tool=tool, fact="version")
    assert version.value == "0.87.0" and version.read_at == change.read_at


@pytest.mark.django_db
def test_an_editors_licence_is_kept_and_the_sources_beside_it(index):
    tool = ToolFactory(slug="aider-chat", name="aider-chat", licence="Apache-2.0")
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_json())
    run_import("pypi:aider-chat")
    Tool.objects.filter(pk=tool.pk).update(licence="Apache 2 (see LICENSE)")
    index.clear()
    index.expect_request("/pypi/aider-chat/json").respond_with_json(
        package_json(license_expression="MIT")
    )
    assert run_import("pypi:aider-chat") == (["unchanged aider-chat"], False)
    tool.refresh_from_db()
    assert tool.licence == "Apache 2 (see LICENSE)"
    assert ToolFactSource.objects.get(tool=tool, fact="licence").value == "MIT"


@pytest.mark.django_db
def test_unreadable_targets_are_one_line_each(index):
    index.expect_request("/pypi/gone/json").respond_with_data("Not Found", status=404)
    lines, failed = run_import("pypi:gone", "nowhere.txt")
    assert failed
    assert lines[0] == f"refused pypi:gone: no such package 'gone' at {index.url_for('/')[:-1]}"
    assert lines[1].startswith("refused nowhere.txt: not a readable file")


@pytest.mark.django_db(transaction=True)
def test_the_real_command_imports_a_json_file(tmp_path):
    path = tmp_path / "tools.json"
    bad = entry("broken")
    del bad["name"]
    path.write_text(json.dumps([entry("acme-coder"), bad]))
    env = verdicts_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    wait_for_other_sessions_to_end()
    assert done.returncode != 0, done.stderr
    assert done.stdout.splitlines() == [
        "created acme-coder",
        f"refused {path}#2: name: Field required",
    ]
    assert done.stderr.strip() == "CommandError: 1 refused; the rest was imported."
    assert Tool.objects.get(slug="acme-coder").status == Tool.Status.DRAFT


def page_html(name: str) -> str:
    return (
        f"<html><head><title>{name} | Launches</title>"
        f'<meta name="description" content="{name} writes tests for you."></head>'
        f"<body><p>{name} reads your code and writes the tests it lacks.</p></body></html>"
    )


@pytest.mark.django_db(transaction=True)
def test_a_local_feed_makes_drafts_with_sources_then_reads_unchanged_and_is_refused_unlisted(
    tmp_path, httpserver
):
    names = ["Probe One", "Probe Two", "Probe Three"]
    items = "".join(
        f"<item><title>{name}</title><link>{httpserver.url_for(f'/p/{n}')}</link></item>"
        for n, name in enumerate(names)
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        f"<rss version='2.0'><channel><title>Launches</title>{items}</channel></rss>",
        content_type="application/rss+xml",
    )
    for n, name in enumerate(names):
        httpserver.expect_request(f"/p/{n}").respond_with_data(
            page_html(name), content_type="text/html"
        )
    env = verdicts_env(tmp_path)
    allowed = env | {"VERDICTS_FETCH_ALLOW_HOSTS": f"{httpserver.host}:{httpserver.port}"}

    def run(environment: dict) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "verdicts.cli", "import", httpserver.url_for("/feed.xml")],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    first, second = run(allowed), run(allowed)
    requests_before = len(httpserver.log)
    # Its port allowed, the server's address is still refused without the host allow-list.
    unlisted = run(env | {"VERDICTS_FETCH_ALLOWED_PORTS": f"80,443,{httpserver.port}"})
    wait_for_other_sessions_to_end()

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "created probe-one",
        "created probe-two",
        "created probe-three",
    ]
    assert second.stdout.splitlines() == [
        "unchanged probe-one",
        "unchanged probe-two",
        "unchanged probe-three",
    ]
    tool = Tool.objects.get(slug="probe-two")
    assert tool.status == Tool.Status.DRAFT
    sources = {source.fact: source.source_url for source in tool.fact_sources.all()}
    assert sources["name"] == sources["description"] == httpserver.url_for("/p/1")
    assert "reads your code" in tool.documents.get().text
    assert unlisted.returncode != 0
    assert unlisted.stdout.strip() == (
        f"refused {httpserver.url_for('/feed.xml')}: "
        "localhost resolves to 127.0.0.1, a loopback address"
    )
    assert len(httpserver.log) == requests_before  # refused before any request was sent
