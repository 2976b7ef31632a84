import pytest
from django.urls import reverse

from testkit.panel import review_answer
from verdicts.panel.models import LlmCall, PanelRun, Review, RunStatus
from verdicts.panel.services.editorial import review_create
from verdicts.panel.services.jobs import panel_job_execute
from verdicts.panel.services.runs import panel_run_create


@pytest.mark.django_db
def test_editors_start_a_run_from_the_admin_through_the_service(
    admin_client, admin_user, script, no_worker, builder, skeptic, tool
):
    response = admin_client.post(
        reverse("admin:panel_panelrun_add"), {"tools": [tool.pk], "model": ""}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    run = PanelRun.objects.get()
    assert run.requested_by == admin_user.username and run.status == RunStatus.QUEUED
    assert set(run.jobs.values_list("persona__slug", flat=True)) == {"builder", "skeptic"}
    change = reverse("admin:panel_panelrun_change", args=[run.pk])
    assert admin_client.get(change).status_code == 200


@pytest.mark.django_db
def test_the_admin_refuses_a_run_with_no_model_and_says_how_to_set_one(
    admin_client, panel_settings, builder, tool
):
    response = admin_client.post(reverse("admin:panel_panelrun_add"), {"tools": [tool.pk]})
    assert response.status_code == 200
    assert "VERDICTS_PANEL_MODEL" in response.content.decode()
    assert not PanelRun.objects.exists()


@pytest.mark.django_db
def test_run_again_and_ask_again_actions_queue_new_runs(
    admin_client, script, no_worker, builder, tool
):
    script.default = lambda messages, info: review_answer("builder")
    first, _ = panel_run_create(tools=[tool], personas=[builder])
    panel_job_execute(job_id=first.jobs.get().pk)
    admin_client.post(
        reverse("admin:panel_panelrun_changelist"),
        {"action": "run_again", "_selected_action": [first.pk]},
    )
    assert PanelRun.objects.count() == 2
    again = PanelRun.objects.first()
    panel_job_execute(job_id=again.jobs.get().pk)
    review = Review.objects.current().get()
    admin_client.post(
        reverse("admin:panel_review_changelist"),
        {"action": "ask_panel_again", "_selected_action": [review.pk]},
    )
    assert PanelRun.objects.count() == 3
    newest = PanelRun.objects.first()
    assert list(newest.tools.all()) == [tool]
    calls = reverse("admin:panel_llmcall_changelist")
    assert admin_client.get(calls).status_code == 200 and LlmCall.objects.count() == 2


@pytest.mark.django_db
def test_an_identical_run_under_way_is_not_queued_twice_from_the_admin(
    admin_client, script, no_worker, builder, tool
):
    review_create(tool=tool, persona=builder, verdict="ship", body="Editors.")
    run, _ = panel_run_create(tools=[tool])
    admin_client.post(
        reverse("admin:panel_panelrun_changelist"),
        {"action": "run_again", "_selected_action": [run.pk]},
    )
    assert PanelRun.objects.count() == 1
