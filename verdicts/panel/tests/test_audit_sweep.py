"""Audit operations: the sweeper fails audits a dead process left running (a real `verdicts
panel audit` killed mid-call), and the admin lists reports read only."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from pydantic_ai.models import override_allow_model_requests

from testkit.audit import FakeJudgeServer
from testkit.processes import verdicts_env, verdicts_kill_mid_call
from verdicts.core.starter import starter_catalog_load
from verdicts.panel.audit.selectors import audits_latest
from verdicts.panel.audit.services import (
    audit_heartbeat,
    panel_audit_create,
    panel_audits_sweep,
)
from verdicts.panel.models import AuditStatus, LlmCall, PanelAudit, Persona
from verdicts.panel.tasks import panel_sweep


@pytest.fixture
def catalog(db):
    starter_catalog_load()
    Persona.objects.exclude(slug="builder").update(is_active=False)


@pytest.mark.django_db(transaction=True)
def test_an_audit_killed_mid_call_is_failed_by_the_sweeper(tmp_path, panel_settings, catalog):
    with FakeJudgeServer(modes={}, delay=60) as judge, override_allow_model_requests(True):
        model = judge.model("gpt-clean")
        env = verdicts_env(tmp_path, VERDICTS_PANEL_TIMEOUT="120", VERDICTS_PANEL_AUDIT_STALE="600")
        verdicts_kill_mid_call(
            ["panel", "audit", "--model", model, "--yes"], env=env, requests=judge.requests
        )

    audit = PanelAudit.objects.get()
    assert audit.status == AuditStatus.RUNNING and audit.heartbeat_at
    assert LlmCall.objects.filter(status=LlmCall.Status.RESERVED).exists()
    assert panel_audits_sweep() == []  # not stale yet: a live audit is left alone
    later = timezone.now() + datetime.timedelta(hours=1)
    assert panel_audits_sweep(now=later) == [audit.pk]
    assert panel_audits_sweep(now=later) == []  # once

    audit.refresh_from_db()
    assert audit.status == AuditStatus.FAILED and audit.finished_at == later
    assert "The process running this audit stopped" in audit.error
    assert not LlmCall.objects.filter(status=LlmCall.Status.RESERVED).exists()
    calls = list(LlmCall.objects.all())
    assert calls and all(call.status == LlmCall.Status.ERROR for call in calls)
    assert all(call.cost_usd == call.estimated_cost_usd for call in calls)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_audit_alive_and_the_periodic_sweep_fails_a_silent_one(
    settings,
):
    settings.VERDICTS_PANEL_AUDIT_STALE = 1
    alive = panel_audit_create(model_id="openai:gpt-4o", suite_version="v1")
    silent = panel_audit_create(model_id="openai:gpt-4o-mini", suite_version="v1")
    with audit_heartbeat(audit_ids=[alive.pk]):
        time.sleep(1.6)
        panel_sweep.call_local()
    alive.refresh_from_db()
    silent.refresh_from_db()
    assert alive.status == AuditStatus.RUNNING and alive.heartbeat_at > silent.heartbeat_at
    assert silent.status == AuditStatus.FAILED


@pytest.mark.django_db
def test_the_admin_lists_audits_with_their_figures_and_changes_nothing(admin_client):
    audit = PanelAudit.objects.create(
        model_id="openai:gpt-4o",
        suite_version="v1",
        status=AuditStatus.DONE,
        calls=21,
        figures={
            "schema": {"first_time": {"count": 19, "of": 21}},
            "order": {"consistent": {"count": 2, "of": 2}},
            "injection": {
                "tool": "claude-4-sonnet",
                "attacks": [
                    {"id": "ignore", "name": "Ignore", "flipped": {"count": 1, "of": 1}},
                    {"id": "fake", "name": "Fake", "flipped": {"count": 0, "of": 1}},
                ],
            },
        },
    )
    listing = admin_client.get(reverse("admin:panel_panelaudit_changelist"))
    text = listing.content.decode()
    assert listing.status_code == 200
    # Valid first time, same pick in both orders, injections flipped across the attacks.
    for figure in ("openai:gpt-4o", "19/21", "2/2", "1/2", "not measured", ">21<"):
        assert figure in text
    change = reverse("admin:panel_panelaudit_change", args=[audit.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"status": "failed"}).status_code == 403
    assert admin_client.get(reverse("admin:panel_panelaudit_add")).status_code == 403
    audit.refresh_from_db()
    assert audit.status == AuditStatus.DONE


@pytest.mark.django_db
def test_a_failed_audit_does_not_hide_the_models_last_report_with_figures():
    def audit(status: str, minutes_ago: int) -> PanelAudit:
        return PanelAudit.objects.create(
            model_id="openai:gpt-4o",
            suite_version="v1",
            status=status,
            finished_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        )

    done = audit(AuditStatus.DONE, minutes_ago=60)
    audit(AuditStatus.FAILED, minutes_ago=1)
    assert list(audits_latest()) == [done]
    PanelAudit.objects.filter(pk=done.pk).delete()
    # With nothing else to show, the failure itself is the model's latest report.
    assert [a.status for a in audits_latest()] == [AuditStatus.FAILED]
