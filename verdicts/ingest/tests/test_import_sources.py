"""Configured sources: adding, removing, and runs that hold a lease and record their outcome."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from verdicts.ingest.import_sources import (
    import_source_add,
    import_source_remove,
    import_source_run,
)
from verdicts.ingest.models import ImportSource

pytestmark = pytest.mark.django_db


def tools_file(path, *names):
    entries = [
        {
            "slug": name, "name": name, "category": "coding-assistants",
            "vendor": {"slug": "acme", "name": "Acme"}, "tagline": f"{name} does things",
            "description": f"{name} does things.", "homepage": f"https://{name}.example/",
        }
        for name in names
    ]  # fmt: skip
    path.write_text(json.dumps(entries))
    return str(path)


def test_a_source_is_added_once_with_its_kind():
    feed = import_source_add(target="https://launches.example/feed.xml")
    search = import_source_add(target="hf-search:vision")
    topic = import_source_add(target="github-topic:llm-agents")

    assert (feed.kind, search.kind, topic.kind) == ("feed", "hub-search", "github-topic")
    with pytest.raises(ValidationError, match="already a configured source"):
        import_source_add(target="https://launches.example/feed.xml")
    assert ImportSource.objects.count() == 3


def test_a_target_no_importer_reads_is_refused():
    with pytest.raises(ValidationError, match=r"'ftp://x\.example/feed' is not a readable"):
        import_source_add(target="ftp://x.example/feed")
    assert not ImportSource.objects.exists()


def test_removing_a_source_says_whether_there_was_one():
    import_source_add(target="hf-search:vision")
    assert import_source_remove(target="hf-search:vision") is True
    assert import_source_remove(target="hf-search:vision") is False


def test_a_run_imports_every_entry_and_records_its_outcome(tmp_path):
    source = import_source_add(target=tools_file(tmp_path / "tools.json", "alpha", "beta"))
    seen = []

    run = import_source_run(source=source, on_line=seen.append)

    assert [str(line) for line in run.lines] == ["created alpha", "created beta"]
    assert seen == run.lines
    source.refresh_from_db()
    assert source.last_outcome == "2 created" and source.last_run_at is not None
    assert source.running_since is None
    again = import_source_run(source=source)
    assert again.summary == "2 unchanged"


def test_a_source_another_run_holds_is_skipped_until_its_lease_expires(tmp_path):
    source = import_source_add(target=tools_file(tmp_path / "tools.json", "alpha"))
    ImportSource.objects.filter(pk=source.pk).update(running_since=timezone.now())

    busy = import_source_run(source=source)

    assert busy.busy and busy.lines == [] and "another run" in busy.summary
    stale = timezone.now() - datetime.timedelta(hours=2)
    ImportSource.objects.filter(pk=source.pk).update(running_since=stale)
    assert [str(line) for line in import_source_run(source=source).lines] == ["created alpha"]


def test_a_run_that_crashes_releases_its_lease_and_keeps_the_old_validators(tmp_path, monkeypatch):
    source = import_source_add(target=tools_file(tmp_path / "tools.json", "alpha"))
    ImportSource.objects.filter(pk=source.pk).update(etag='"v1"')
    source.refresh_from_db()

    def crash(**kwargs):
        raise RuntimeError("killed")
        yield

    monkeypatch.setattr("verdicts.ingest.import_sources.items_import", crash)
    with pytest.raises(RuntimeError):
        import_source_run(source=source)

    source.refresh_from_db()
    assert source.running_since is None and source.etag == '"v1"'
