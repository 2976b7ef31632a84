import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.models import (
    ImportSource,
    ToolDocument,
    ToolFactChange,
    ToolFactSource,
    ToolRegistryCheck,
)
from verdicts.ingest.services import tool_document_import

CHANGELIST = reverse("admin:ingest_tooldocument_changelist")


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_documents_are_searched_and_filtered_at_a_fixed_query_cost(admin_client):
    cursor, other = ToolFactory(name="Cursor"), ToolFactory(name="Other")
    tool_document_import(tool=cursor, title="Rate limits", text="x" * 5000)
    before, _ = queries_for(admin_client, CHANGELIST)
    for number in range(5):
        tool_document_import(tool=other, title=f"Page {number}", text="y")

    after, page = queries_for(admin_client, CHANGELIST)
    assert after == before and "5000" in page
    _, found = queries_for(admin_client, f"{CHANGELIST}?q=rate")
    assert "Rate limits" in found and "Page 1" not in found
    _, filtered = queries_for(admin_client, f"{CHANGELIST}?tool__id__exact={other.pk}")
    assert "Page 1" in filtered and "Rate limits" not in filtered


@pytest.mark.django_db
def test_documents_can_be_read_and_deleted_but_not_written_in_the_admin(admin_client):
    document = tool_document_import(tool=ToolFactory(), title="Guide", text="Read me.").document
    change = reverse("admin:ingest_tooldocument_change", args=[document.pk])
    assert "Read me." in admin_client.get(change).content.decode()
    assert admin_client.get(reverse("admin:ingest_tooldocument_add")).status_code == 403
    admin_client.post(change, {"title": "Changed"})
    assert ToolDocument.objects.get().title == "Guide"
    delete = reverse("admin:ingest_tooldocument_delete", args=[document.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ToolDocument.objects.exists()


@pytest.mark.django_db
def test_imported_fact_sources_and_changes_are_listed_read_only(admin_client):
    tool = ToolFactory(name="Aider")
    now = timezone.now()
    ToolFactSource.objects.create(
        tool=tool, fact="licence", value="MIT", source_url="https://x.example/", read_at=now
    )
    ToolFactChange.objects.create(
        tool=tool, fact="licence", old_value="Apache-2.0", new_value="MIT",
        source_url="https://x.example/", read_at=now,
    )  # fmt: skip
    for name in ("toolfactsource", "toolfactchange"):
        _, page = queries_for(admin_client, reverse(f"admin:ingest_{name}_changelist"))
        assert "MIT" in page and "Aider" in page
        assert admin_client.get(reverse(f"admin:ingest_{name}_add")).status_code == 403


@pytest.mark.django_db
def test_registry_checks_are_listed_read_only_and_filtered_by_what_was_found(admin_client):
    now = timezone.now()
    for name, found in (("Ghost", False), ("Real", True)):
        ToolRegistryCheck.objects.create(
            tool=ToolFactory(name=name), registry="Hugging Face Hub", artifact=f"acme/{name}",
            checked_url=f"https://huggingface.co/api/models/acme/{name}", found=found,
            checked_at=now,
        )  # fmt: skip
    changelist = reverse("admin:ingest_toolregistrycheck_changelist")

    _, missing = queries_for(admin_client, f"{changelist}?found__exact=0")
    assert "acme/Ghost" in missing and "acme/Real" not in missing
    assert admin_client.get(reverse("admin:ingest_toolregistrycheck_add")).status_code == 403
    check = ToolRegistryCheck.objects.get(found=False)
    change = reverse("admin:ingest_toolregistrycheck_change", args=[check.pk])
    admin_client.post(change, {"found": "on"})
    assert ToolRegistryCheck.objects.filter(found=False).count() == 1


@pytest.mark.django_db
def test_fact_changes_are_filtered_by_tool_and_by_whether_they_were_reviewed(admin_client):
    aider, cursor = ToolFactory(name="Aider"), ToolFactory(name="Cursor")
    now = timezone.now()
    for tool, new, reviewed_at in (
        (aider, "MIT", None),
        (aider, "BSD", now),
        (cursor, "GPL", None),
    ):
        ToolFactChange.objects.create(
            tool=tool, fact="licence", old_value="Apache-2.0", new_value=new,
            source_url="https://x.example/", read_at=now, reviewed_at=reviewed_at,
        )  # fmt: skip
    changelist = reverse("admin:ingest_toolfactchange_changelist")

    _, unreviewed = queries_for(
        admin_client, f"{changelist}?tool__id__exact={aider.pk}&reviewed_at__isempty=1"
    )
    assert "MIT" in unreviewed and "BSD" not in unreviewed and "GPL" not in unreviewed


@pytest.mark.django_db
def test_the_import_sources_show_their_last_run_and_cannot_be_edited_there(admin_client):
    ImportSource.objects.create(
        target="hf-search:vision", kind="hub-search", last_outcome="2 created, 5 unchanged"
    )

    listing = admin_client.get("/admin/ingest/importsource/")

    assert listing.status_code == 200 and b"2 created, 5 unchanged" in listing.content
    assert admin_client.get("/admin/ingest/importsource/add/").status_code == 403
