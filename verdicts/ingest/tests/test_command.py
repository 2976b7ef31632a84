import io
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from pytest_httpserver import HTTPServer

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.models import ToolDocument

pytestmark = pytest.mark.usefixtures("fetch_allows_httpserver")


def ingest(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest", "docs", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_file_is_imported_then_unchanged_then_updated(tmp_path):
    ToolFactory(slug="cursor")
    path = tmp_path / "quickstart.md"
    path.write_text("# Quickstart\nInstall it.\n")

    assert ingest("cursor", str(path)).startswith("created: cursor / 'quickstart.md': 24 char")
    assert ingest("cursor", str(path)).startswith("unchanged: cursor / 'quickstart.md'")
    path.write_text("# Quickstart\nInstall it twice.\n")
    out = ingest("cursor", str(path))
    assert out.startswith("updated: cursor / 'quickstart.md'") and "(was 24 characters)" in out
    assert ToolDocument.objects.get().text == "# Quickstart\nInstall it twice."


@pytest.mark.django_db
def test_a_url_is_imported_under_its_page_title_or_the_given_one(httpserver):
    ToolFactory(slug="cursor")
    page = "<html><head><title>Cursor docs</title></head><body><p>Tab completes.</p></body>"
    httpserver.expect_request("/docs").respond_with_data(page, content_type="text/html")
    url = httpserver.url_for("/docs")

    assert ingest("cursor", url).startswith("created: cursor / 'Cursor docs'")
    assert ingest("cursor", url, "--title", "Tab").startswith("updated: cursor / 'Tab'")
    document = ToolDocument.objects.get()
    assert (document.source_url, document.text) == (url, "Tab completes.")


@pytest.mark.django_db
def test_a_body_over_the_cap_is_refused_and_the_stored_document_kept(httpserver, settings):
    ToolFactory(slug="cursor")
    httpserver.expect_ordered_request("/docs").respond_with_data("Short docs.")
    httpserver.expect_ordered_request("/docs").respond_with_data("x" * 2000)
    url = httpserver.url_for("/docs")
    settings.VERDICTS_DOCUMENT_MAX_BYTES = 1000
    ingest("cursor", url)

    with pytest.raises(CommandError, match=r"Nothing imported: .* larger than"):
        ingest("cursor", url)
    assert ToolDocument.objects.get().text == "Short docs."


@pytest.mark.django_db
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path):
    ToolFactory(slug="cursor")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café".encode("latin-1"))
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n")

    with pytest.raises(CommandError, match="Unknown tool slug 'nope'"):
        ingest("nope", str(empty))
    with pytest.raises(CommandError, match=r"Nothing imported: .*convert it to UTF-8 first"):
        ingest("cursor", str(latin))
    with pytest.raises(CommandError, match="Nothing imported: The document is empty"):
        ingest("cursor", str(empty))
    assert not ToolDocument.objects.exists()


@pytest.mark.django_db
def test_a_refused_url_is_one_line_and_stores_nothing(httpserver, settings):
    ToolFactory(slug="cursor")
    settings.VERDICTS_FETCH_ALLOW_HOSTS = []
    settings.VERDICTS_FETCH_ALLOWED_PORTS = [80, 443, httpserver.port]
    httpserver.expect_request("/docs").respond_with_data("secret")

    with pytest.raises(CommandError) as refused:
        ingest("cursor", f"http://127.1:{httpserver.port}/docs")
    assert str(refused.value) == (
        "Nothing imported: refused: 127.1 resolves to 127.0.0.1, a loopback address."
    )
    assert httpserver.log == [] and not ToolDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_refuses_loopback_before_any_request_reaches_it(tmp_path):
    """The real `verdicts ingest docs`, with the server's port allowed but not its address."""
    ToolFactory(slug="cursor")
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        server.expect_request("/").respond_with_data("secret", content_type="text/plain")
        env = {
            key: value for key, value in os.environ.items() if not key.startswith("VERDICTS_FETCH_")
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "verdicts.settings",
            "DATABASE_URL": subprocess_database_url(),
            "SECRET_KEY": django_settings.SECRET_KEY,
            "VERDICTS_VAR_DIR": str(tmp_path),
            "VERDICTS_FETCH_ALLOWED_PORTS": f"80,443,{server.port}",
        }
        done = subprocess.run(
            [sys.executable, "-m", "verdicts.cli", "ingest", "docs", "cursor",
             f"http://127.0.0.1:{server.port}/"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        wait_for_other_sessions_to_end()
        assert done.returncode != 0
        assert done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            "CommandError: Nothing imported: refused: 127.0.0.1 is a loopback address."
        ]
        assert server.log == []
    finally:
        server.stop()
    assert not ToolDocument.objects.exists()
