import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from verdicts.catalog.models import Tool
from verdicts.catalog.services import tool_publish
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.ingest.admin import QueuedToolAdmin
from verdicts.ingest.importers.base import Sourced, ToolFacts
from verdicts.ingest.intake import PLACEHOLDER_CATEGORY, tool_facts_import
from verdicts.ingest.models import ToolFactChange, ToolFactSource, ToolRegistryCheck

QUEUE = reverse("admin:ingest_queuedtool_changelist")
READ_AT = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))
PYPI = "https://pypi.org/project/aider-chat/"


def imported_draft(name: str, **fields) -> Tool:
    tool = ToolFactory(name=name, status=Tool.Status.DRAFT, **fields)
    ToolFactSource.objects.create(
        tool=tool, fact="name", value=name, source_url=PYPI, read_at=READ_AT
    )
    return tool


def fact_change(tool: Tool, old: str = "Apache-2.0", new: str = "MIT") -> ToolFactChange:
    return ToolFactChange.objects.create(
        tool=tool, fact="licence", old_value=old, new_value=new, source_url=PYPI, read_at=READ_AT
    )


def registry_check(tool: Tool, *, found: bool = False) -> ToolRegistryCheck:
    return ToolRegistryCheck.objects.create(
        tool=tool, registry="Hugging Face Hub", artifact="acme/ghost-7b",
        checked_url="https://huggingface.co/api/models/acme/ghost-7b", found=found,
        checked_at=READ_AT,
    )  # fmt: skip


def placeholder_category():
    return CategoryFactory(slug=PLACEHOLDER_CATEGORY["slug"], name=PLACEHOLDER_CATEGORY["name"])


def queued(response) -> list[str]:
    return [tool.name for tool in response.context["cl"].result_list]


def seen_up_to(response) -> str:
    return re.search(r'name="changes_seen_up_to" value="(\d+)"', response.content.decode())[1]


def action_form(client, action: str, tools: list[Tool]) -> dict:
    """The queue's action form as the editor's browser posts it, drawn now."""
    page = client.get(QUEUE)
    return {
        "action": action,
        "_selected_action": [tool.pk for tool in tools],
        "index": 0,
        "changes_seen_up_to": seen_up_to(page),
    }


def post(client, data: dict) -> list[str]:
    """The messages the queue shows after the action (reading them clears them)."""
    response = client.post(QUEUE, data, follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_the_queue_shows_each_kind_with_its_source_diff_or_registry_check(admin_client):
    draft = imported_draft("Aider", category=placeholder_category())
    changed = ToolFactory(name="Cursor")
    fact_change(changed)
    unverified = ToolFactory(name="Ghost")
    registry_check(unverified)
    ToolFactory(name="Handmade draft", status=Tool.Status.DRAFT)  # no import: not queued
    reviewed = fact_change(ToolFactory(name="Reviewed"))
    ToolFactChange.objects.filter(pk=reviewed.pk).update(reviewed_at=READ_AT)
    registry_check(ToolFactory(name="Verified"), found=True)

    response = admin_client.get(QUEUE)
    page = response.content.decode()

    assert queued(response) == ["Aider", "Cursor", "Ghost"]
    assert f'<a href="{PYPI}" rel="noreferrer">{PYPI}</a>' in page
    assert "read 2026-11-20 09:30" in page
    assert "Uncategorised: choose one" in page
    assert "<del>Apache-2.0</del> → <ins>MIT</ins>" in page
    assert "<code>acme/ghost-7b</code> not found at" in page
    assert "https://huggingface.co/api/models/acme/ghost-7b" in page
    for tool in (draft, changed, unverified):
        assert reverse("admin:catalog_tool_change", args=[tool.pk]) in page
    changes = reverse("admin:ingest_toolfactchange_changelist")
    assert f"{changes}?tool__id__exact={changed.pk}" in page


@pytest.mark.django_db
def test_the_queue_filters_by_kind_searches_by_name_and_pages(admin_client, monkeypatch):
    imported_draft("Aider")
    fact_change(ToolFactory(name="Cursor"))
    registry_check(ToolFactory(name="Ghost"))

    assert queued(admin_client.get(f"{QUEUE}?kind=draft")) == ["Aider"]
    assert queued(admin_client.get(f"{QUEUE}?kind=changed")) == ["Cursor"]
    assert queued(admin_client.get(f"{QUEUE}?kind=unverified")) == ["Ghost"]
    assert queued(admin_client.get(f"{QUEUE}?q=curs")) == ["Cursor"]
    monkeypatch.setattr(QueuedToolAdmin, "list_per_page", 2)
    assert queued(admin_client.get(f"{QUEUE}?p=2")) == ["Ghost"]


@pytest.mark.django_db
def test_a_file_url_source_is_shown_but_not_linked(admin_client):
    tool = ToolFactory(name="Local", status=Tool.Status.DRAFT)
    ToolFactSource.objects.create(
        tool=tool, fact="name", value="Local", source_url="file:///srv/tools.json", read_at=READ_AT
    )
    page = admin_client.get(QUEUE).content.decode()
    assert "file:///srv/tools.json" in page and 'href="file:' not in page


def queue_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(captured), len(queued(response))


@pytest.mark.django_db
def test_the_queue_costs_the_same_queries_for_2_or_30_tools(admin_client):
    def add_tools(count: int) -> None:
        for _ in range(count):
            tool = imported_draft(f"Tool {Tool.objects.count():02}")
            fact_change(tool)
            registry_check(tool)

    add_tools(2)
    few, shown = queue_queries(admin_client)
    assert shown == 2
    add_tools(28)
    many, shown = queue_queries(admin_client)
    assert shown == 30 and many == few


@pytest.mark.django_db
def test_publish_publishes_categorised_drafts_and_names_each_refused_one(admin_client):
    ready = imported_draft("Aider")
    waiting = imported_draft("Gamma", category=placeholder_category())
    broken = imported_draft("Broken", tagline="")

    messages = post(admin_client, action_form(admin_client, "publish", [ready, waiting, broken]))

    assert messages == [
        "Not published “Broken”: tagline: This field cannot be blank.",
        "Not published “Gamma”: its category is still the placeholder “Uncategorised”: "
        "choose its real category first.",
        "Published: Aider.",
    ]
    statuses = dict(Tool.objects.values_list("name", "status"))
    assert statuses == {"Aider": "published", "Gamma": "draft", "Broken": "draft"}
    assert queued(admin_client.get(QUEUE)) == ["Broken", "Gamma"]


@pytest.mark.django_db
def test_publishing_twice_changes_nothing_the_second_time(admin_client):
    ready = imported_draft("Aider")
    form = action_form(admin_client, "publish", [ready])
    assert post(admin_client, form) == ["Published: Aider."]
    published_at = Tool.objects.get().updated_at

    assert post(admin_client, form) == ["None of the selected tools is queued any more."]
    fact_change(ready)  # queued again, now as changed: publishing it again is a no-op
    assert post(admin_client, form) == ["Already published: Aider."]
    assert Tool.objects.get().updated_at == published_at


def import_licence(licence: str, *, category: str) -> Tool:
    read = timezone.now()
    facts = ToolFacts(
        target="pypi:aider-chat",
        name=Sourced("Aider", PYPI, read),
        licence=Sourced(licence, PYPI, read),
        category_hint=category,
    )
    return tool_facts_import(facts=facts).tool


@pytest.mark.django_db
def test_marking_changes_reviewed_dequeues_the_tool_until_an_import_changes_it_again(
    admin_client,
):
    category = CategoryFactory(slug="coding-assistants").slug
    tool = import_licence("Apache-2.0", category=category)
    tool_publish(tool=tool)
    assert queued(admin_client.get(QUEUE)) == []
    import_licence("MIT", category=category)
    assert queued(admin_client.get(QUEUE)) == ["Aider"]

    form = action_form(admin_client, "mark_reviewed", [tool])

    assert post(admin_client, form) == ["Marked 1 fact change(s) reviewed."]
    assert queued(admin_client.get(QUEUE)) == []
    assert ToolFactChange.objects.get().reviewed_at is not None
    import_licence("GPL-3.0", category=category)
    page = admin_client.get(QUEUE)
    assert queued(page) == ["Aider"]
    assert "<del>MIT</del> → <ins>GPL-3.0</ins>" in page.content.decode()
    assert "<del>Apache-2.0</del>" not in page.content.decode()


@pytest.mark.django_db
def test_marking_reviewed_leaves_a_change_imported_after_the_page_was_drawn(admin_client):
    tool = ToolFactory(name="Cursor")
    fact_change(tool, "Apache-2.0", "MIT")
    form = action_form(admin_client, "mark_reviewed", [tool])
    fact_change(tool, "MIT", "GPL-3.0")  # an import lands while the editor reads the page

    assert post(admin_client, form) == ["Marked 1 fact change(s) reviewed."]
    assert post(admin_client, form) == [  # a double submission marks nothing more
        "Nothing to mark: the selected tools have no unreviewed changes."
    ]

    unreviewed = ToolFactChange.objects.filter(reviewed_at__isnull=True)
    assert list(unreviewed.values_list("new_value", flat=True)) == ["GPL-3.0"]
    assert queued(admin_client.get(QUEUE)) == ["Cursor"]


@pytest.mark.django_db
def test_marking_reviewed_without_the_seen_marker_marks_nothing(admin_client):
    tool = ToolFactory(name="Cursor")
    fact_change(tool)
    form = action_form(admin_client, "mark_reviewed", [tool]) | {"changes_seen_up_to": ""}
    messages = post(admin_client, form)
    assert messages == ["Nothing marked: the form was incomplete. Reload the queue and try again."]
    assert ToolFactChange.objects.get().reviewed_at is None


@pytest.mark.django_db
def test_a_non_staff_user_cannot_see_the_queue(client):
    imported_draft("Aider")
    client.force_login(User.objects.create_user("reader", password="x"))
    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_an_editor_without_the_right_to_change_tools_cannot_publish_from_the_queue(client):
    draft = imported_draft("Aider")
    editor = User.objects.create_user("reviewer", password="x", is_staff=True)
    may = Permission.objects.filter(codename__in=["view_queuedtool", "change_toolfactchange"])
    editor.user_permissions.add(*may)
    client.force_login(editor)

    response = client.get(QUEUE)
    assert queued(response) == ["Aider"]
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "mark_reviewed" in choices and "publish" not in choices
    client.post(QUEUE, {"action": "publish", "_selected_action": [draft.pk], "index": 0})
    assert Tool.objects.get().status == Tool.Status.DRAFT
