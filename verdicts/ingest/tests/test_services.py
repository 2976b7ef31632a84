import re

import pytest
from django.core.exceptions import ValidationError

from testkit.concurrency import threads_race
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.models import ToolDocument
from verdicts.ingest.services import ImportOutcome, tool_document_import

URL = "https://docs.example/quickstart"


@pytest.mark.django_db
def test_importing_the_same_text_again_changes_nothing():
    tool = ToolFactory()
    first = tool_document_import(tool=tool, title="Quickstart", text="Install it.\n")
    again = tool_document_import(tool=tool, title=" Quickstart ", text="Install it.\r\n")

    assert (first.outcome, again.outcome) == (ImportOutcome.CREATED, ImportOutcome.UNCHANGED)
    stored = ToolDocument.objects.get()
    assert stored.text == "Install it."
    assert stored.updated_at == first.document.updated_at
    assert len(stored.content_sha256) == 64


@pytest.mark.django_db
def test_changed_text_updates_the_one_document_and_says_so():
    tool = ToolFactory()
    first = tool_document_import(tool=tool, title="Quickstart", text="Install it.")
    changed = tool_document_import(tool=tool, title="Quickstart", text="Install it twice.")

    assert changed.outcome == ImportOutcome.UPDATED and changed.previous_chars == 11
    stored = ToolDocument.objects.get()
    assert stored.text == "Install it twice."
    assert stored.content_sha256 != first.document.content_sha256


@pytest.mark.django_db
def test_a_url_identifies_its_document_whatever_its_title():
    tool = ToolFactory()
    tool_document_import(tool=tool, title="Quickstart", text="Text.", source_url=URL)
    renamed = tool_document_import(tool=tool, title="Getting started", text="Text.", source_url=URL)
    other_page = tool_document_import(
        tool=tool, title="Getting started", text="Else.", source_url=URL + "/2"
    )

    assert renamed.outcome == ImportOutcome.UPDATED
    assert other_page.outcome == ImportOutcome.CREATED
    assert sorted(ToolDocument.objects.values_list("source_url", "title")) == [
        (URL, "Getting started"),
        (URL + "/2", "Getting started"),
    ]


@pytest.mark.django_db
def test_the_same_title_on_another_tool_is_another_document():
    one, two = ToolFactory(), ToolFactory()
    tool_document_import(tool=one, title="README.md", text="One.")
    tool_document_import(tool=two, title="README.md", text="Two.")
    assert ToolDocument.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "  \n\t "}, "The document is empty."),
        ({"text": "x" * 101}, "more than VERDICTS_DOCUMENT_MAX_CHARS (100)"),
        ({"text": "bin\x00ary"}, "NUL characters"),
        ({"title": ""}, "This field cannot be blank."),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"source_url": "not a url"}, "Enter a valid URL."),
    ],
)
def test_bad_input_is_refused_clearly_and_loses_nothing(settings, change, message):
    settings.VERDICTS_DOCUMENT_MAX_CHARS = 100
    tool = ToolFactory()
    tool_document_import(tool=tool, title="Guide", text="Good text.")
    with pytest.raises(ValidationError, match=re.escape(message)):
        tool_document_import(**({"tool": tool, "title": "Guide", "text": "New."} | change))
    stored = ToolDocument.objects.get()
    assert (stored.title, stored.text) == ("Guide", "Good text.")


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_new_source_at_once_make_one_document():
    tool = ToolFactory()

    def work():
        return tool_document_import(tool=tool, title="T", text="Same.", source_url=URL).outcome

    raced = threads_race([work] * 2)
    assert raced.errors == []
    assert sorted(raced.results) == [ImportOutcome.CREATED, ImportOutcome.UNCHANGED]
    assert ToolDocument.objects.count() == 1
