"""Start-up checks: a bad panel or llm setting is a system-check error with its own id."""

import pytest
from django.core.checks import run_checks


def check_ids(tags: tuple[str, ...] = ("panel", "llm")) -> set[str]:
    return {message.id for tag in tags for message in run_checks(tags=[tag])}


def test_the_shipped_settings_pass(panel_settings):
    assert check_ids() == set()


@pytest.mark.parametrize("budget", ["lots", "-5", "NaN"])
def test_a_bad_budget_fails_at_start_up(panel_settings, budget):
    panel_settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = budget
    assert check_ids() == {"panel.E001"}


def test_a_bad_default_model_string_fails_at_start_up(panel_settings):
    panel_settings.VERDICTS_PANEL_MODEL = "gpt-4o"
    [error] = run_checks(tags=["panel"])
    assert error.id == "panel.E002" and "provider:model" in error.msg


@pytest.mark.parametrize(
    "prices", ["{not json", '{"m": {"input": 1}}', '{"m": {"input": "cheap", "output": 1}}']
)
def test_a_bad_price_table_fails_at_start_up(panel_settings, prices):
    panel_settings.VERDICTS_LLM_PRICES_JSON = prices
    assert check_ids() == {"llm.E001"}


def test_a_bad_output_mode_fails_at_start_up_naming_the_provider(panel_settings):
    panel_settings.VERDICTS_LLM_OUTPUT_MODES = {"ollama": "json", "openai": "native"}
    [error] = run_checks(tags=["llm"])
    assert error.id == "llm.E002" and "'json' for ollama" in error.msg
