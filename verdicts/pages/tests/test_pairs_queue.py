"""Editors queue an unreviewed pair for the panel from its facts-only page."""

import pytest
from django.test import Client
from django.urls import reverse

from testkit.pages import text_of
from verdicts.catalog.models import Comparison
from verdicts.panel.models import JobKind, PanelRun, RunStatus

pytestmark = pytest.mark.django_db
QUEUE = reverse("pages:compare-pair-queue")
PAIR = {"a": "gpt-4o", "b": "llama-3-3-70b"}


@pytest.fixture
def no_worker(monkeypatch) -> list[int]:
    """No background worker runs: the ids of the jobs handed to the workers, kept here."""
    handed: list[int] = []
    monkeypatch.setattr("verdicts.panel.services.runs.jobs_enqueue", handed.extend)
    return handed


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="pw", is_staff=True)


def test_editors_see_the_queue_button_and_readers_do_not(client, starter, editor):
    assert "Queue this pair for the panel" not in text_of(client.get("/compare/pair/", PAIR))
    client.force_login(editor)
    response = client.get("/compare/pair/", PAIR)
    assert "Queue this pair for the panel" in text_of(response)
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_queueing_drafts_the_comparison_and_queues_the_panel_once(
    client, starter, editor, script, no_worker, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(QUEUE, PAIR)
    assert response.status_code == 302
    assert response["Location"] == "/compare/pair/?a=gpt-4o&b=llama-3-3-70b"
    comparison = Comparison.objects.get(slug="gpt-4o-vs-llama-3-3-70b")
    assert comparison.published_at is None
    run = PanelRun.objects.get()
    assert run.requested_by == "editor" and run.status == RunStatus.QUEUED
    assert {tool.slug for tool in run.tools.all()} == {"gpt-4o", "llama-3-3-70b"}
    assert run.jobs.filter(kind=JobKind.HEAD_TO_HEAD).exists()
    assert sorted(no_worker) == sorted(run.jobs.values_list("pk", flat=True))  # to the workers
    followed = client.get(response["Location"])
    assert f"Queued gpt-4o-vs-llama-3-3-70b for the panel as run {run.pk}." in text_of(followed)
    # The draft is not published: the pair still shows its facts, not a verdict.
    assert "Not yet reviewed as a pair." in text_of(followed)

    # Asked again, in the other order: the same draft and run, and the page says so.
    again = client.post(QUEUE, {"a": "llama-3-3-70b", "b": "gpt-4o"}, follow=True)
    assert f"Already queued: gpt-4o-vs-llama-3-3-70b is in panel run {run.pk}." in text_of(again)
    assert not Comparison.objects.filter(slug="llama-3-3-70b-vs-gpt-4o").exists()
    assert PanelRun.objects.count() == 1


def test_a_published_pair_is_not_queued_again(client, starter, editor, script, no_worker):
    client.force_login(editor)
    response = client.post(QUEUE, {"a": "smolvlm-3b", "b": "claude-4-sonnet"})
    assert response.status_code == 302
    assert response["Location"] == "/compare/claude-4-sonnet-vs-smolvlm-3b/"
    assert not PanelRun.objects.exists()


def test_without_a_model_the_editor_is_told_and_nothing_is_queued(
    client, starter, editor, panel_settings
):
    client.force_login(editor)
    followed = client.post(QUEUE, PAIR, follow=True)
    assert "The pair was not queued:" in text_of(followed)
    assert "VERDICTS_PANEL_MODEL" in text_of(followed)
    assert not PanelRun.objects.exists()
    assert not Comparison.objects.filter(slug="gpt-4o-vs-llama-3-3-70b").exists()


def test_only_editors_may_queue(client, starter, django_user_model, script, no_worker):
    assert client.post(QUEUE, PAIR).status_code == 403
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.post(QUEUE, PAIR).status_code == 403
    assert client.get(QUEUE, PAIR).status_code == 405
    assert not PanelRun.objects.exists()


def test_queueing_needs_the_csrf_token(starter, editor, script, no_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(QUEUE, PAIR).status_code == 403
    page = client.get("/compare/pair/", PAIR)
    token = page.cookies["csrftoken"].value
    assert client.post(QUEUE, {**PAIR, "csrfmiddlewaretoken": token}).status_code == 302
    assert PanelRun.objects.count() == 1


def test_a_bad_pair_is_refused_with_its_error(client, starter, editor, script, no_worker):
    client.force_login(editor)
    response = client.post(QUEUE, {"a": "gpt-4o", "b": "gpt-4o"})
    assert response.status_code == 400
    assert "Choose two different tools" in text_of(response)
    assert not PanelRun.objects.exists()
