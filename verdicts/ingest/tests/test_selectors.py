"""A tool's provenance: its facts' sources, its change history, its registries' answers and
the facts a source contradicts, in a fixed number of queries."""

import datetime

import pytest

from testkit.ingest import READ_AT, fact_source_add, provenance_grow, registry_check_add
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.importers import ArtifactMissing, RegistryCheck, Sourced, ToolFacts
from verdicts.ingest.intake import tool_facts_import, tool_registry_missing_record
from verdicts.ingest.selectors import (
    CHANGES_SHOWN,
    EDITORS,
    IMPORTED_FILE,
    Verification,
    tool_provenance,
    values_agree,
)

PYPI = "https://pypi.org/pypi/widget/json"
HUB = "https://huggingface.co/api/models/acme/widget"


def read(value, url=PYPI, at=READ_AT):
    return Sourced(value=value, source_url=url, read_at=at)


@pytest.mark.parametrize(
    ("fact", "ours", "theirs", "agree"),
    [
        ("parameters", "3B", "3.07B", True),
        ("parameters", "3B", "7B", False),
        ("parameters", "1.5 billion parameters", "1.5B", True),
        ("parameters", "350M", "3B", False),
        ("parameters", "3,000,000,000", "3b", True),
        ("parameters", "3B", "three billion", False),
        ("context_window", "128k tokens", "131072", True),
        ("licence", "Apache-2.0", "apache 2.0", True),
        ("licence", "Apache-2.0", "MIT", False),
        ("homepage", "https://www.Widget.dev/", "http://widget.dev", True),
        (
            "repository_url",
            "https://github.com/acme/widget",
            "https://github.com/acme/other",
            False,
        ),
        ("version", "1.2", "1.25", False),
    ],
)
def test_values_are_compared_the_way_each_fact_is_read(fact, ours, theirs, agree):
    assert values_agree(fact, ours, theirs) is agree


@pytest.mark.django_db
def test_an_import_gives_every_fact_its_source_and_a_contradicted_editor_value_shows_both():
    tool = ToolFactory(
        name="Widget", slug="widget", licence="Apache-2.0", facts={"parameters": "3B"}
    )
    tool_facts_import(
        facts=ToolFacts(
            target="pypi:widget",
            name=read("Widget"),
            slug_hint="widget",
            licence=read("MIT"),
            package_name=read("widget"),
            extra={"parameters": read("7B", url=HUB)},
            verified=RegistryCheck("package index", "pypi:widget", PYPI, READ_AT),
        )
    )
    tool.refresh_from_db()

    provenance = tool_provenance(tool=tool)

    assert [(s.fact, s.label, s.value, s.source_url) for s in provenance.sources] == [
        ("licence", "Licence", "MIT", PYPI),
        ("name", "Name", "Widget", PYPI),
        ("package_name", "Package", "widget", PYPI),
        ("parameters", "Parameters", "7B", HUB),
    ]
    assert all(source.read_at == READ_AT for source in provenance.sources)
    conflicts = {c.fact: (c.editorial, c.sourced) for c in provenance.conflicts}
    assert set(conflicts) == {"licence", "parameters"}
    editorial, sourced = conflicts["parameters"]
    assert (editorial.value, editorial.source, editorial.at) == ("3B", EDITORS, tool.updated_at)
    assert (sourced.value, sourced.source, sourced.source_url, sourced.at) == (
        "7B",
        HUB,
        HUB,
        READ_AT,
    )
    assert provenance.verification == Verification.VERIFIED
    assert [check.summary for check in provenance.verified_by] == [
        "the package index has package widget"
    ]


@pytest.mark.django_db
def test_values_that_agree_are_no_conflict_and_prose_is_never_one():
    tool = ToolFactory(
        licence="apache-2.0",
        homepage="https://widget.dev",
        tagline="The editors' words",
        facts={"parameters": "3B"},
    )
    fact_source_add(tool, "licence", "Apache-2.0")
    fact_source_add(tool, "homepage", "http://www.widget.dev/")
    fact_source_add(tool, "tagline", "The vendor's words")
    fact_source_add(tool, "parameters", "3.07B")
    fact_source_add(tool, "stars", "1200")  # the editors say nothing about it
    assert tool_provenance(tool=tool).conflicts == []


@pytest.mark.django_db
def test_changes_are_newest_first_capped_with_the_total():
    tool = ToolFactory()
    provenance_grow(tool, facts=0, changes=CHANGES_SHOWN + 5, checks=0)
    provenance = tool_provenance(tool=tool)
    assert provenance.change_count == CHANGES_SHOWN + 5
    assert len(provenance.changes) == CHANGES_SHOWN and provenance.earlier_changes == 5
    newest = provenance.changes[0]
    assert (newest.label, newest.old_value, newest.new_value) == ("Version", "1.24", "1.25")
    assert newest.read_at == READ_AT + datetime.timedelta(hours=CHANGES_SHOWN + 4)
    assert provenance.changes == sorted(provenance.changes, key=lambda c: c.read_at, reverse=True)


@pytest.mark.django_db
def test_a_missing_artifact_marks_the_tool_unverified_with_what_was_checked():
    tool = ToolFactory()
    registry_check_add(tool, registry="package index", artifact="pypi:widget", found=True)
    tool_registry_missing_record(
        tool=tool,
        missing=ArtifactMissing(
            "no such model",
            registry="Hugging Face Hub",
            artifact="acme/widget",
            checked_url=HUB,
        ),
    )
    provenance = tool_provenance(tool=tool)
    assert provenance.verification == Verification.UNVERIFIED
    [missing] = provenance.unverified
    assert missing.summary == "the Hugging Face Hub has no model acme/widget"
    assert missing.checked_url == HUB and missing.checked_at is not None
    assert [check.registry for check in provenance.verified_by] == ["package index"]


@pytest.mark.django_db
def test_an_editorial_tool_is_unchecked_and_has_no_sources():
    tool = ToolFactory()
    provenance = tool_provenance(tool=tool)
    assert (provenance.sources, provenance.changes, provenance.checks) == ([], [], [])
    assert provenance.change_count == 0 and provenance.verification == Verification.UNCHECKED
    assert provenance.editorial_at == tool.updated_at


@pytest.mark.django_db
def test_an_imported_files_path_is_never_given_out():
    tool = ToolFactory(licence="MIT")
    fact_source_add(tool, "licence", "BSL-1.1", source_url="file:///srv/imports/tools.json")
    provenance = tool_provenance(tool=tool)
    assert provenance.sources[0].source_url == ""
    [conflict] = provenance.conflicts
    assert (conflict.sourced.source, conflict.sourced.source_url) == (IMPORTED_FILE, "")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 50])
def test_provenance_costs_three_queries_however_much_there_is(size, django_assert_num_queries):
    tool = ToolFactory(facts={"fact_0": "other"})
    provenance_grow(tool, facts=size, changes=size, checks=size)
    with django_assert_num_queries(3):
        provenance = tool_provenance(tool=tool)
    assert len(provenance.sources) == len(provenance.checks) == size
    assert provenance.change_count == size and len(provenance.conflicts) == 1
