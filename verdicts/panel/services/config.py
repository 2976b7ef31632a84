"""The panel's and the llm layer's settings blocks, read from Django settings, and the check
that every persona has a model it can write with."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from verdicts.catalog.models import Tool
from verdicts.llm.config import LlmSettings, output_modes_errors
from verdicts.llm.pricing import prices_parse
from verdicts.llm.registry import ModelConfigError, model_parse, model_resolve
from verdicts.panel.labels import model_makers, model_name
from verdicts.panel.models import Persona


class PanelConfigError(Exception):
    """The panel cannot run as configured; the message says how to fix it."""


class PanelModelMissing(PanelConfigError):
    """No model for some persona; the command line and the admin each add their own way out."""


NO_MODEL_HELP = (
    "No model is configured for the reviewer panel. Set VERDICTS_PANEL_MODEL, for example "
    "anthropic:claude-sonnet-4-5 (with ANTHROPIC_API_KEY), openai:gpt-4o (with OPENAI_API_KEY), "
    "ollama:llama3.1, or http://127.0.0.1:8000/v1#<model> for any OpenAI-compatible server "
    "(vLLM, llama.cpp, LM Studio). See docs/panel.md."
)


def budget_parse(value: object) -> Decimal:
    """The monthly budget in dollars; PanelConfigError unless it is a number of zero or more."""
    try:
        budget = Decimal(str(value))
    except ArithmeticError:
        budget = None
    if budget is None or not budget.is_finite() or budget < 0:
        raise PanelConfigError(
            f"VERDICTS_PANEL_MONTHLY_BUDGET_USD must be a number of dollars, like 25; got {value!r}"
        )
    return budget


def persona_models_parse(items: Iterable[str]) -> dict[str, str]:
    """VERDICTS_PANEL_MODELS (persona=model pairs) as a model string by persona slug;
    PanelConfigError on an entry that is not a pair or names no usable model string."""
    models: dict[str, str] = {}
    for item in items:
        slug, sep, spec = (part.strip() for part in item.partition("="))
        if not sep or not slug or not spec:
            raise PanelConfigError(
                f"VERDICTS_PANEL_MODELS: {item!r} is not persona=model, "
                "e.g. skeptic=openai:gpt-4o,builder=anthropic:claude-sonnet-4-5"
            )
        try:
            model_parse(spec)
        except ModelConfigError as error:
            raise PanelConfigError(f"VERDICTS_PANEL_MODELS, {slug}: {error}") from error
        models[slug] = spec
    return models


def llm_settings_load() -> LlmSettings:
    """The llm layer's block; PanelConfigError when the prices or output modes are unusable."""
    try:
        prices = prices_parse(
            settings.VERDICTS_LLM_PRICES, extra_json=settings.VERDICTS_LLM_PRICES_JSON
        )
    except ValueError as error:
        raise PanelConfigError(
            "VERDICTS_LLM_PRICES must be a JSON object like "
            f'{{"my-model": {{"input": 1, "output": 2}}}}: {error}'
        ) from error
    modes = dict(settings.VERDICTS_LLM_OUTPUT_MODES)
    problems = output_modes_errors(modes)
    if problems:
        raise PanelConfigError(f"VERDICTS_LLM_OUTPUT_MODES: {'; '.join(problems)}")
    return LlmSettings(
        anthropic_api_key=settings.VERDICTS_LLM_ANTHROPIC_API_KEY,
        anthropic_base_url=settings.VERDICTS_LLM_ANTHROPIC_BASE_URL,
        openai_api_key=settings.VERDICTS_LLM_OPENAI_API_KEY,
        openai_base_url=settings.VERDICTS_LLM_OPENAI_BASE_URL,
        ollama_base_url=settings.VERDICTS_LLM_OLLAMA_BASE_URL,
        compatible_api_key=settings.VERDICTS_LLM_API_KEY,
        output_modes=modes,
        prices=prices,
    )


@dataclass(frozen=True)
class PanelSettings:
    """The panel's settings block, read once per job; `llm` is the provider layer's."""

    default_model: str
    persona_models: dict[str, str]
    timeout: float
    max_attempts: int
    output_retries: int
    backoff_base: float
    backoff_cap: float
    max_wait: float
    monthly_budget: Decimal
    dossier_max_chars: int
    max_output_tokens: int
    llm: LlmSettings

    @property
    def lease(self) -> datetime.timedelta:
        """How long a job may go without a heartbeat before the sweeper takes it back."""
        # One attempt sends up to 1 + output_retries requests, then may back off before the next.
        attempt = self.timeout * (1 + self.output_retries)
        return datetime.timedelta(seconds=attempt + self.max_wait + 60)

    @classmethod
    def load(cls) -> "PanelSettings":
        """From Django settings; PanelConfigError when a value is unusable (the system checks
        report the same at start-up)."""
        return cls(
            default_model=settings.VERDICTS_PANEL_MODEL,
            persona_models=persona_models_parse(settings.VERDICTS_PANEL_MODELS),
            timeout=float(settings.VERDICTS_PANEL_TIMEOUT),
            max_attempts=int(settings.VERDICTS_PANEL_MAX_ATTEMPTS),
            output_retries=int(settings.VERDICTS_PANEL_OUTPUT_RETRIES),
            backoff_base=float(settings.VERDICTS_PANEL_BACKOFF),
            backoff_cap=float(settings.VERDICTS_PANEL_BACKOFF_CAP),
            max_wait=float(settings.VERDICTS_PANEL_MAX_WAIT),
            monthly_budget=budget_parse(settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD),
            dossier_max_chars=int(settings.VERDICTS_PANEL_DOSSIER_MAX_CHARS),
            max_output_tokens=int(settings.VERDICTS_PANEL_MAX_OUTPUT_TOKENS),
            llm=llm_settings_load(),
        )


def panel_models_check(*, personas: Iterable[Persona], model: str = "") -> dict[int, str]:
    """The model string each persona will write with, by persona id: `model` for all, else the
    persona's own (its admin field, then VERDICTS_PANEL_MODELS), else the default.
    PanelConfigError when one is unusable."""
    config = PanelSettings.load()
    chosen: dict[int, str] = {}
    for persona in personas:
        spec = (
            model
            or persona.model
            or config.persona_models.get(persona.slug)
            or config.default_model
        )
        if not spec:
            raise PanelModelMissing(NO_MODEL_HELP)
        try:
            model_resolve(spec, config=config.llm)
        except ModelConfigError as error:
            raise PanelConfigError(f"{persona.name}: {error}") from error
        chosen[persona.pk] = spec
    return chosen


def panel_models_configured(*, chosen: dict[int, str]) -> list[str]:
    """Every model the panel is configured with, in order (the personas' own, then
    VERDICTS_PANEL_MODELS, then the default): where a job goes when its own model may not
    judge a tool. PanelConfigError when one is unusable."""
    config = PanelSettings.load()
    specs = [*chosen.values(), *config.persona_models.values(), config.default_model]
    configured = [spec for spec in dict.fromkeys(specs) if spec]
    for spec in configured:
        try:
            model_resolve(spec, config=config.llm)
        except ModelConfigError as error:
            raise PanelConfigError(f"{spec}: {error}") from error
    return configured


@dataclass(frozen=True)
class JobModel:
    """The model a job is given, or, when none may judge its tools, why it is skipped."""

    model: str
    skipped: str = ""


def job_model_choose(*, candidates: Sequence[str], tools: Sequence[Tool]) -> JobModel:
    """The first candidate that is not made by a maker of these tools: no model judges its own
    vendor's or family's tools. Skipped, with the reason, when every candidate is."""
    makers = {tool.vendor.slug for tool in tools}
    candidates = list(dict.fromkeys(candidates))
    for spec in candidates:
        if not model_makers(spec) & makers:
            return JobModel(model=spec)
    names = ", ".join(model_name(spec) for spec in candidates)
    judged = " or ".join(f"{tool.name} ({tool.vendor.name})" for tool in tools)
    return JobModel(
        model=candidates[0],
        skipped=(
            f"Skipped: no model judges its own maker, and every configured model ({names}) "
            f"comes from the maker of {judged}."
        ),
    )
