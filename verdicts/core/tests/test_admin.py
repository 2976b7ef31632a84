import pytest
from django.urls import reverse

from verdicts.catalog.models import Category, Comparison, PricingPlan, Tool, Vendor
from verdicts.panel.models import Persona, Review

MODELS = [Category, Vendor, Tool, PricingPlan, Persona, Review, Comparison]


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_editors_can_list_search_and_open_every_model(admin_client, starter, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "claude"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


@pytest.mark.django_db
def test_tool_search_and_filter_find_the_right_tools(admin_client, starter):
    url = reverse("admin:catalog_tool_changelist")
    response = admin_client.get(url, {"q": "SmolVLM"})
    assert list(response.context["cl"].result_list) == [Tool.objects.get(slug="smolvlm-3b")]
    response = admin_client.get(url, {"open_weights__exact": "1"})
    assert all(tool.open_weights for tool in response.context["cl"].result_list)


@pytest.mark.django_db
def test_editors_can_unpublish_a_tool_from_the_list(admin_client, client, starter):
    tool = Tool.objects.get(slug="cursor")
    admin_client.post(
        reverse("admin:catalog_tool_changelist"),
        {"action": "unpublish", "_selected_action": [tool.pk]},
    )
    tool.refresh_from_db()
    assert tool.status == Tool.Status.DRAFT
    assert client.get("/tools/cursor/").status_code == 404


@pytest.mark.django_db
def test_the_admin_is_closed_to_anonymous_visitors(client):
    response = client.get(reverse("admin:catalog_tool_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
