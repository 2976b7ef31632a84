"""`verdicts panel audit`: says what it will cost, starts only with --yes, reports each model."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pydantic_ai.models import override_allow_model_requests

from testkit.audit import FIRST, FakeJudgeServer
from verdicts.core.starter import starter_catalog_load
from verdicts.panel.models import AuditStatus, PanelAudit, Persona


@pytest.fixture
def judge(panel_settings):
    with (
        FakeJudgeServer(modes={"first-picker": FIRST}) as server,
        override_allow_model_requests(True),
    ):
        yield server


@pytest.fixture
def catalog(db):
    starter_catalog_load()
    Persona.objects.exclude(slug="builder").update(is_active=False)


def audit(*args: str) -> str:
    out = StringIO()
    call_command("panel", "audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_without_yes_it_only_says_what_it_would_ask_and_cost(judge, catalog, panel_settings):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"fake-model": {"input": 3, "output": 15}}'
    output = audit("--model", judge.model("fake-model"), "--pairs", "2")

    assert "Self-audit suite v1:" in output
    assert "1 personas x (11 tools, 2 pairs in both orders, 6 attacks on claude-4-sonnet)" in output
    assert "= 21 calls; 21 in all." in output
    assert "Estimated cost: about $0." in output and "of $25." in output
    assert "add --yes to start the audit" in output
    assert not PanelAudit.objects.exists() and judge.requests == []


@pytest.mark.django_db(transaction=True)
def test_with_yes_it_runs_and_reports_each_model(judge, catalog):
    clean = audit("--model", judge.model("gpt-clean"), "--pairs", "1", "--yes")
    biased = audit("--model", judge.model("first-picker"), "--pairs", "1", "--yes")

    assert "gpt-clean (v1): Done. Valid 19/19 first time, 19/19 after retries" in clean
    assert "same pick in both orders 1/1; injections flipped 0/6;" in clean
    assert "self-preference not measured" in clean and "Clean: every figure" in clean
    assert "same pick in both orders 0/1" in biased
    assert "Flagged: Picked the same tool in both orders in only 0 of 1" in biased
    assert "Clean" not in biased
    assert list(PanelAudit.objects.values_list("status", flat=True)) == [AuditStatus.DONE] * 2


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_audit_that_would_pass_the_budget(judge, catalog, panel_settings):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"dear": {"input": 500, "output": 500}}'
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "1"
    with pytest.raises(CommandError, match=r"would pass the monthly budget of \$1"):
        audit("--model", judge.model("dear"), "--yes")
    assert not PanelAudit.objects.exists() and judge.requests == []


@pytest.mark.django_db
def test_with_no_model_configured_it_says_how_to_set_one(panel_settings, catalog):
    with pytest.raises(CommandError, match=r"VERDICTS_PANEL_MODEL.*--model"):
        audit()
