"""With no model configured, the admin says how to fix it in admin words, not CLI options."""

from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from verdicts.panel.models import PanelRun, RunStatus
from verdicts.panel.tests.factories import ReviewFactory


@pytest.mark.django_db
def test_the_add_form_names_the_setting_and_the_model_field_not_a_cli_option(
    admin_client, panel_settings, builder, tool
):
    response = admin_client.post(reverse("admin:panel_panelrun_add"), {"tools": [tool.pk]})
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "VERDICTS_PANEL_MODEL" in errors and "Model field" in errors
    assert "--model" not in response.content.decode()
    assert not PanelRun.objects.exists()


@pytest.mark.django_db
def test_the_actions_name_the_setting_and_the_personas_not_a_cli_option(
    admin_client, panel_settings, builder, tool
):
    run = PanelRun.objects.create(key="earlier", status=RunStatus.DONE, model="")
    run.tools.add(tool)
    run.personas.add(builder)
    review = ReviewFactory(tool=tool, persona=builder)
    said = []
    for changelist, action, selected in (
        ("admin:panel_panelrun_changelist", "run_again", run.pk),
        ("admin:panel_review_changelist", "ask_panel_again", review.pk),
    ):
        response = admin_client.post(
            reverse(changelist), {"action": action, "_selected_action": [selected]}, follow=True
        )
        said += [str(message) for message in get_messages(response.wsgi_request)]
    refusals = [message for message in said if "VERDICTS_PANEL_MODEL" in message]
    assert len(refusals) == 2, said
    assert all("each persona" in message and "--model" not in message for message in refusals)
    assert PanelRun.objects.count() == 1


@pytest.mark.django_db
def test_the_command_line_keeps_its_own_way_out(panel_settings, builder, tool):
    with pytest.raises(CommandError, match="VERDICTS_PANEL_MODEL") as raised:
        call_command("panel", "run", tool.slug, stdout=StringIO(), stderr=StringIO())
    assert "pass --model" in str(raised.value)
