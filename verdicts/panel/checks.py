"""Start-up checks of the panel's and the llm layer's settings: a bad value fails at boot with
the fix in the message, not on every job."""

from django.conf import settings
from django.core.checks import Error, register

from verdicts.llm.config import output_modes_errors
from verdicts.llm.pricing import prices_parse
from verdicts.llm.registry import ModelConfigError, model_parse
from verdicts.panel.services.config import PanelConfigError, budget_parse, persona_models_parse


@register("panel")
def panel_budget_check(app_configs, **kwargs) -> list[Error]:
    """The monthly budget is a number of dollars."""
    try:
        budget_parse(settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD)
    except PanelConfigError as error:
        return [
            Error(
                str(error),
                hint="For example 25, or 0 to allow priced models no spend.",
                id="panel.E001",
            )
        ]
    return []


@register("panel")
def panel_model_check(app_configs, **kwargs) -> list[Error]:
    """The default model, when one is set, is a model string the registry knows."""
    spec = settings.VERDICTS_PANEL_MODEL
    if not spec:
        return []
    try:
        model_parse(spec)
    except ModelConfigError as error:
        return [Error(f"VERDICTS_PANEL_MODEL: {error}", hint="See docs/panel.md.", id="panel.E002")]
    return []


@register("panel")
def panel_persona_models_check(app_configs, **kwargs) -> list[Error]:
    """VERDICTS_PANEL_MODELS is a list of persona=model pairs with model strings the registry
    knows."""
    try:
        persona_models_parse(settings.VERDICTS_PANEL_MODELS)
    except PanelConfigError as error:
        return [Error(str(error), hint="See docs/panel.md.", id="panel.E003")]
    return []


@register("llm")
def llm_prices_check(app_configs, **kwargs) -> list[Error]:
    """The price table, with VERDICTS_LLM_PRICES laid over it, is a table of numbers."""
    try:
        prices_parse(settings.VERDICTS_LLM_PRICES, extra_json=settings.VERDICTS_LLM_PRICES_JSON)
    except ValueError as error:
        return [
            Error(
                f"VERDICTS_LLM_PRICES is not a usable price table: {error}",
                hint='Give a JSON object like {"my-model": {"input": 1, "output": 2}} '
                "(US dollars per million tokens).",
                id="llm.E001",
            )
        ]
    return []


@register("llm")
def llm_output_modes_check(app_configs, **kwargs) -> list[Error]:
    """Every provider's output mode is one the call layer knows."""
    return [
        Error(
            f"VERDICTS_LLM_OUTPUT_MODES: {problem}",
            hint="Write provider=mode pairs, e.g. ollama=prompted,openai=native.",
            id="llm.E002",
        )
        for problem in output_modes_errors(dict(settings.VERDICTS_LLM_OUTPUT_MODES))
    ]
