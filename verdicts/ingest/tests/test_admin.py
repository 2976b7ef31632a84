import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.models import ToolDocument, ToolFactChange, ToolFactSource
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
