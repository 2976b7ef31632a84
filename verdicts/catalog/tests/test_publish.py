import pytest
from django.core.exceptions import ValidationError

from verdicts.catalog.models import Tool
from verdicts.catalog.services import tool_publish
from verdicts.catalog.tests.factories import ToolFactory


@pytest.mark.django_db
def test_a_valid_draft_is_published_once():
    draft = ToolFactory(status=Tool.Status.DRAFT)

    assert tool_publish(tool=draft) is True
    published = Tool.objects.get()
    assert published.status == Tool.Status.PUBLISHED

    assert tool_publish(tool=draft) is False  # e.g. a second editor, or a resubmitted form
    assert Tool.objects.get().updated_at == published.updated_at


@pytest.mark.django_db
def test_a_draft_that_fails_the_catalog_checks_stays_a_draft():
    draft = ToolFactory(status=Tool.Status.DRAFT, tagline="", homepage="not a url")

    with pytest.raises(ValidationError) as raised:
        tool_publish(tool=draft)

    assert set(raised.value.message_dict) == {"tagline", "homepage"}
    assert Tool.objects.get().status == Tool.Status.DRAFT
