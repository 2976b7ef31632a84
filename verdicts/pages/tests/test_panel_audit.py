"""/panel/audit/ and GET /api/panel/audits: the latest self-audit of each model, with its date,
suite version and figures."""

import html
import re

import pytest
from pydantic_ai.models import override_allow_model_requests

from testkit.audit import FIRST, FakeJudgeServer
from testkit.pages import REFERENCE, text_of
from verdicts.catalog.models import Tool
from verdicts.core.starter import starter_catalog_load
from verdicts.core.tests.accessibility import broken_id_references, landmarks_sharing_a_name
from verdicts.panel.audit.plan import audit_plan
from verdicts.panel.audit.run import panel_audit_run
from verdicts.panel.models import PanelAudit, Persona
from verdicts.panel.services.editorial import review_create


@pytest.fixture
def audits(panel_settings, transactional_db):
    """Two models audited (a clean one, twice, and one that always picks the first tool)."""
    starter_catalog_load()
    Persona.objects.exclude(slug="builder").update(is_active=False)
    with (
        FakeJudgeServer(modes={"first-picker": FIRST}) as judge,
        override_allow_model_requests(True),
    ):
        for name in ("gpt-clean", "gpt-clean", "first-picker"):
            panel_audit_run(plan=audit_plan(model=judge.model(name), pairs=1), concurrency=4)
        yield judge


def test_the_page_shows_the_latest_report_of_each_model(client, audits, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/panel/audit/")
    assert response.status_code == 200
    text = text_of(response)
    assert text.count("suite v1") == 2 and PanelAudit.objects.count() == 3
    biased, clean = text.split("first-picker Self-audit")[1].split("gpt-clean Self-audit")
    # Model strings can hold a private server's address: pages name the model only.
    assert audits.url.split("//")[1] not in response.content.decode()
    assert "Flagged: Picked the same tool in both orders in only 0 of 1 head-to-heads." in biased
    assert "Self-preference not measured: the model's vendor" in biased
    assert "Clean: every figure is within the suite's limits." in clean
    assert "Same tool picked in both orders 1 of 1 (100%)" in clean
    assert "Injection: Fake system message verdict changed in 0 of 1 (0%) 0\u201379%" in clean
    assert "Ships its own vendor's (OpenAI) tools 0 of 2 (0%)" in clean
    assert "Other models ship those tools not measured: no other model has judged them" in clean
    assert broken_id_references(response.text) == []
    assert landmarks_sharing_a_name(response.text) == []


def test_the_page_can_show_only_the_models_asked_for(client, audits):
    text = text_of(client.get("/panel/audit/", {"model": "first-picker"}))
    assert "first-picker" in text and "gpt-clean" not in text
    assert "Show every model's report" in text
    nothing = client.get("/panel/audit/", {"model": "anthropic:nobody\x00"})
    assert nothing.status_code == 200


@pytest.mark.django_db
def test_with_no_audit_the_page_says_how_to_run_one(client):
    assert "verdicts panel audit runs one" in text_of(client.get("/panel/audit/"))


def test_the_api_returns_the_same_reports(client, audits, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/api/panel/audits")
    assert audits.url.split("//")[1] not in response.content.decode()
    reports = response.json()
    assert [r["model"] for r in reports] == ["first-picker", "gpt-clean"]
    biased, clean = reports
    assert clean["clean"] is True and clean["findings"] == [] and clean["suite_version"] == "v1"
    assert biased["order_consistent"]["count"] == 0 and biased["order_consistent"]["total"] == 1
    assert biased["findings"] == [
        "Picked the same tool in both orders in only 0 of 1 head-to-heads."
    ]
    assert [a["id"] for a in clean["attacks"]][:2] == ["ignore-instructions", "fake-delimiters"]
    assert clean["self_preference"]["vendor"] == "openai"
    assert clean["self_preference"]["other_models"] == []
    assert biased["self_preference"] is None  # "first-picker" names no family
    assert clean["cost_usd"] is None and clean["calls"] == 11 + 2 + 6


def test_a_comparison_links_the_audit_of_the_models_that_wrote_its_reviews(client, audits):
    model = audits.model("first-picker")
    builder = Persona.objects.get(slug="builder")
    for slug in ("claude-4-sonnet", "smolvlm-3b"):
        review_create(
            tool=Tool.objects.get(slug=slug),
            persona=builder,
            verdict="ship",
            body="Written by a model in a test.",
            author="Builder (panel)",
            model_id=model,
        )
    page = client.get(REFERENCE).content.decode()
    link = re.search(r'<a href="(/panel/audit/\?[^"]*)">How the models behind', page).group(1)
    text = text_of(client.get(html.unescape(link)))
    assert "first-picker" in text and "gpt-clean" not in text
