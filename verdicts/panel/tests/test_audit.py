"""The self-audit against fake judges on loopback: each planted bias is caught, a clean judge
passes, and the budget holds."""

import pytest
from pydantic_ai.models import override_allow_model_requests

from testkit.audit import CLEAN, FIRST, OBEY, FakeJudgeServer, favour
from verdicts.core.starter import starter_catalog_load
from verdicts.llm.testing import Reply, openai_reply
from verdicts.panel.audit.plan import audit_plan
from verdicts.panel.audit.run import panel_audit_run
from verdicts.panel.audit.selectors import audit_report, panel_audit_latest
from verdicts.panel.models import AuditStatus, LlmCall, PanelAudit, Persona
from verdicts.panel.services.config import PanelSettings

MODES = {
    "gpt-clean": CLEAN,
    "obeys": OBEY,
    "first-picker": FIRST,
    "claude-fan": favour("Anthropic"),
}


@pytest.fixture
def judge(panel_settings):
    with FakeJudgeServer(modes=MODES) as server, override_allow_model_requests(True):
        yield server


@pytest.fixture
def catalog(db):
    """The starter catalog, with two personas active to keep the suite short."""
    starter_catalog_load()
    Persona.objects.exclude(slug__in=["builder", "skeptic"]).update(is_active=False)


def audited(judge, name: str, **plan) -> PanelAudit:
    (audit,) = panel_audit_run(
        plan=audit_plan(model=judge.model(name), **plan), concurrency=4, sleep=lambda s: None
    )
    return audit


@pytest.mark.django_db(transaction=True)
def test_a_clean_judge_is_reported_clean(judge, catalog):
    audit = audited(judge, "gpt-clean")
    report = audit_report(audit)

    assert audit.status == AuditStatus.DONE and audit.suite_version == "v1"
    assert report.findings == [] and report.clean
    assert report.valid_first_time.count == report.valid_first_time.total == audit.calls
    assert report.order_consistent.total == 2 * 5  # two personas, five pairs, both orders each
    assert report.order_consistent.count == report.order_consistent.total
    assert [a.id for a in report.attacks] == [
        "ignore-instructions", "fake-delimiters", "fake-system", "hidden-zero-width",
        "hidden-html-comment", "praise-stuffing",
    ]  # fmt: skip
    assert all(a.flipped.total == 2 and a.flipped.count == 0 for a in report.attacks)
    # OpenAI's tools were reviewed, but no other model has judged them yet.
    assert report.self_preference.vendor == "openai" and report.self_preference.points is None
    assert audit.calls == LlmCall.objects.filter(prompt_version__startswith="audit-v1:").count()


@pytest.mark.django_db(transaction=True)
def test_a_judge_that_obeys_planted_text_flips_under_every_attack(judge, catalog):
    report = audit_report(audited(judge, "obeys"))

    assert all(a.flipped.count == a.flipped.total == 2 for a in report.attacks), report.attacks
    assert len(report.findings) == len(report.attacks) and not report.clean
    assert "Fake system message: the planted text changed the verdict in 2 of 2." in report.findings
    assert report.order_consistent.count == report.order_consistent.total


@pytest.mark.django_db(transaction=True)
def test_a_judge_that_always_picks_the_first_tool_has_no_order_consistency(judge, catalog):
    report = audit_report(audited(judge, "first-picker", pairs=3))

    assert (report.order_consistent.count, report.order_consistent.total) == (0, 6)
    assert report.first_picked.count == report.first_picked.total == 12
    assert report.findings == ["Picked the same tool in both orders in only 0 of 6 head-to-heads."]


@pytest.mark.django_db(transaction=True)
def test_a_judge_that_favours_its_vendor_shows_self_preference_against_the_others(judge, catalog):
    # Each persona writes with its own model: the audit takes both, and compares them.
    Persona.objects.filter(slug="builder").update(model=judge.model("claude-fan"))
    Persona.objects.filter(slug="skeptic").update(model=judge.model("gpt-clean"))
    fan, clean = sorted(
        panel_audit_run(plan=audit_plan(pairs=1), concurrency=4), key=lambda a: a.model_id
    )
    fan_report, clean_report = audit_report(fan), audit_report(clean)

    leaning = fan_report.self_preference
    assert (leaning.vendor, leaning.tools) == ("anthropic", ["claude-4-sonnet", "claude-code"])
    assert (leaning.own.count, leaning.own.total) == (4, 4)
    assert (leaning.others.count, leaning.others.total) == (0, 4)
    assert leaning.other_models == ["gpt-clean"] and leaning.points == 100
    assert fan_report.findings == [
        "Ships its own vendor's (Anthropic) tools 100% of the time; the other models, 0%."
    ]
    assert clean_report.clean and clean_report.self_preference.points == 0

    # Audited alone later, the fan is measured against the stored report of the other model.
    again = audit_report(audited(judge, "claude-fan", pairs=0))
    assert again.self_preference.other_models == ["gpt-clean"]
    assert again.self_preference.points == 100


@pytest.mark.django_db(transaction=True)
def test_schema_validity_counts_a_reply_fixed_only_on_retry(judge, catalog):
    Persona.objects.filter(slug="skeptic").update(is_active=False)
    judge.add(Reply(json=openai_reply({}, "Sure! Here is my review, without any JSON.")))
    report = audit_report(audited(judge, "gpt-clean", pairs=0))

    calls = report.valid_after_retries.total
    assert calls == 11 + 6  # one persona: eleven clean reviews and six attacks
    assert (report.valid_first_time.count, report.valid_after_retries.count) == (calls - 1, calls)
    assert report.clean


@pytest.mark.django_db(transaction=True)
def test_the_audit_stops_at_the_monthly_budget_and_says_so(judge, catalog, panel_settings):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"gpt-clean": {"input": 100, "output": 100}}'
    plan = audit_plan(model=judge.model("gpt-clean"), pairs=0)
    whole = plan.estimate(config=PanelSettings.load())
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = str(whole / 4)
    (audit,) = panel_audit_run(plan=plan, concurrency=1)

    assert audit.status == AuditStatus.STOPPED
    assert "would pass the monthly budget" in audit.error
    assert 0 < audit.calls < plan.calls_per_model
    assert audit.cost_usd is not None and audit.cost_usd <= whole / 4


@pytest.mark.django_db(transaction=True)
def test_the_latest_report_of_each_model_is_the_one_shown(judge, catalog):
    older = audited(judge, "obeys", pairs=0)
    newer = audited(judge, "obeys", pairs=0)
    clean = audited(judge, "gpt-clean", pairs=0)

    latest = panel_audit_latest()
    assert [r.model_id for r in latest] == sorted([newer.model_id, clean.model_id])
    assert older.pk != newer.pk and PanelAudit.objects.count() == 3
    assert [r.model_id for r in panel_audit_latest(names=["gpt-clean"])] == [clean.model_id]


@pytest.mark.django_db(transaction=True)
def test_an_audit_with_no_valid_answer_fails_with_the_last_error(judge, catalog):
    Persona.objects.filter(slug="skeptic").update(is_active=False)
    judge.add(*[Reply(status=401, json={"error": {"message": "bad key"}})] * 40)
    audit = audited(judge, "gpt-clean", pairs=0)

    assert audit.status == AuditStatus.FAILED
    assert audit.error.startswith("No valid answer. Last error: HTTP 401")
    # No clean verdict to aim at: no attack was sent.
    assert audit.calls == 11 and len(judge.requests) == 22
