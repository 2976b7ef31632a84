"""Import runs end to end: lines, registry checks and the unverified mark, concurrency."""

import pytest
from django.utils import timezone

from testkit.concurrency import threads_race
from verdicts.catalog.models import Tool
from verdicts.ingest.importers import Sourced, ToolFacts
from verdicts.ingest.intake import tool_facts_import
from verdicts.ingest.models import ToolRegistryCheck
from verdicts.ingest.pipeline import LineKind, target_import, tool_registries_check
from verdicts.ingest.tests.test_importers_package import package_json

pytestmark = pytest.mark.usefixtures("fetch_allows_httpserver")


def package_alone() -> dict:
    """The package, naming no repository: the package index is its only registry."""
    return package_json(project_urls={"Homepage": "https://aider.chat/"})


@pytest.mark.django_db
def test_a_registry_import_is_verified_at_that_registry(index):
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_alone())

    lines = [str(line) for line in target_import(target="pypi:aider-chat")]

    assert lines == ["created aider-chat"]
    check = ToolRegistryCheck.objects.get(tool__slug="aider-chat")
    assert (check.registry, check.artifact, check.found) == (
        "package index",
        "pypi:aider-chat",
        True,
    )
    assert check.checked_url == index.url_for("/pypi/aider-chat/json")


def imported_then_answering(index, *, status: int) -> Tool:
    """The package imported (and verified), after which the index answers with this status."""
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_alone())
    list(target_import(target="pypi:aider-chat"))
    index.clear()
    index.expect_request("/pypi/aider-chat/json").respond_with_data("", status=status)
    return Tool.objects.get(slug="aider-chat")


@pytest.mark.django_db
def test_a_package_the_index_no_longer_has_marks_the_tool_unverified(index):
    tool = imported_then_answering(index, status=404)

    (line,) = tool_registries_check(tool=tool, only_unchecked=False)

    assert line.kind == LineKind.UNVERIFIED
    assert "no such package 'aider-chat'" in str(line) and "/pypi/aider-chat/json" in str(line)
    check = ToolRegistryCheck.objects.get(tool=tool)
    assert check.found is False and check.checked_at <= timezone.now()


@pytest.mark.django_db
def test_an_outage_is_not_taken_for_a_missing_package(index):
    tool = imported_then_answering(index, status=503)

    (line,) = tool_registries_check(tool=tool, only_unchecked=False)

    assert line.kind == LineKind.REFUSED and "not checked" in line.detail
    assert ToolRegistryCheck.objects.get(tool=tool).found is True


@pytest.mark.django_db
def test_an_import_checks_only_registries_that_have_not_answered(index):
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_alone())
    list(target_import(target="pypi:aider-chat"))
    tool = Tool.objects.get(slug="aider-chat")

    assert list(tool_registries_check(tool=tool, only_unchecked=True)) == []
    assert len(index.log) == 1


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_new_tool_at_once_make_one_tool():
    now = timezone.now()

    def facts() -> ToolFacts:
        return ToolFacts(
            target="race",
            name=Sourced("Racer", "https://racer.example/", now),
            homepage=Sourced("https://racer.example/", "https://racer.example/", now),
        )

    raced = threads_race([lambda: tool_facts_import(facts=facts()) for _ in range(4)])

    assert raced.errors == []
    assert sorted(result.outcome for result in raced.results) == [
        "created",
        "unchanged",
        "unchanged",
        "unchanged",
    ]
    assert Tool.objects.filter(name="Racer").count() == 1


@pytest.mark.django_db
def test_a_tool_another_import_committed_first_is_matched_not_refused(monkeypatch):
    """The race's other order, made certain: this import looked before the other committed."""
    from verdicts.ingest import intake

    now = timezone.now()
    facts = ToolFacts(
        target="race",
        name=Sourced("Racer", "https://racer.example/", now),
        homepage=Sourced("https://racer.example/", "https://racer.example/", now),
    )
    first = tool_facts_import(facts=facts)
    stale = {"match": [None], "slug": ["racer"]}
    real_match, real_slug = intake.tool_match, intake.free_slug
    monkeypatch.setattr(
        intake,
        "tool_match",
        lambda given: stale["match"].pop() if stale["match"] else real_match(given),
    )
    monkeypatch.setattr(
        intake, "free_slug", lambda base: stale["slug"].pop() if stale["slug"] else real_slug(base)
    )

    again = tool_facts_import(facts=facts)

    assert again.outcome == "unchanged" and again.tool == first.tool
    assert Tool.objects.filter(name="Racer").count() == 1
