"""Spend: each call priced from the table, and the monthly budget stopping a run."""

from decimal import Decimal

import pytest

from testkit.panel import execute_all, valid
from verdicts.panel.models import JobStatus, LlmCall, Review, RunStatus
from verdicts.panel.selectors import spend_this_month
from verdicts.panel.services.runs import panel_run_create


@pytest.mark.django_db
def test_the_monthly_budget_stops_a_run_before_a_call_would_pass_it(
    script, panel_settings, builder, skeptic, tool
):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"test": {"input": 3, "output": 15}}'
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "1.00"
    LlmCall.objects.create(
        model_id="script:test", status=LlmCall.Status.OK, cost_usd=Decimal("0.995")
    )
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder, skeptic])
    execute_all(run)

    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED
    assert set(run.jobs.values_list("status", flat=True)) == {JobStatus.SKIPPED}
    assert "monthly budget" in run.jobs.first().error
    assert LlmCall.objects.count() == 1
    assert not Review.objects.exists()
    assert spend_this_month() == Decimal("0.995")


@pytest.mark.django_db
def test_each_call_records_its_cost_from_the_price_table(script, panel_settings, builder, tool):
    panel_settings.VERDICTS_LLM_PRICES_JSON = '{"test": {"input": 3, "output": 15}}'
    script.default = valid
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    execute_all(run)

    call = LlmCall.objects.get()
    expected = (Decimal(call.input_tokens) * 3 + Decimal(call.output_tokens) * 15) / 1_000_000
    assert call.cost_usd == expected.quantize(Decimal("0.000001"))
    assert call.cost_usd > 0
