import pytest
from django.core.exceptions import ValidationError

from verdicts.catalog.models import Tool
from verdicts.catalog.services import tool_category_set, tool_publish
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory


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


@pytest.mark.django_db
def test_the_tool_admin_publishes_the_valid_drafts_and_names_the_invalid_ones(admin_client):
    ready = ToolFactory(status=Tool.Status.DRAFT, name="Ready")
    broken = ToolFactory(status=Tool.Status.DRAFT, name="Broken", tagline="")

    response = admin_client.post(
        "/admin/catalog/tool/",
        {"action": "publish", "_selected_action": [ready.pk, broken.pk], "index": 0},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert any(text.startswith("Broken not published: ") for text in shown), shown
    assert "Published 1 tool(s)." in shown
    ready.refresh_from_db(), broken.refresh_from_db()
    assert (ready.status, broken.status) == (Tool.Status.PUBLISHED, Tool.Status.DRAFT)


@pytest.mark.django_db
def test_filing_a_tool_in_a_category_checks_and_saves_it():
    tool = ToolFactory(status=Tool.Status.DRAFT)
    speech = CategoryFactory(slug="speech")

    filed = tool_category_set(tool=tool, category=speech)

    assert filed.category == speech
    assert Tool.objects.get(pk=tool.pk).category == speech
