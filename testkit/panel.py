"""Panel test helpers: fast panel settings, a scripted model, valid answers and personas.

Conftests register the fixtures they need with `from testkit.panel import ...  # noqa: F401`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.llm.registry import PROVIDERS, provider_register
from verdicts.panel.models import PanelRun
from verdicts.panel.schemas import LENSES, OpenLens
from verdicts.panel.services.jobs import panel_job_execute
from verdicts.panel.tests.factories import PersonaFactory

QUOTE = "It reads receipts on the device."
DESCRIPTION = (
    "A small vision model for scanned documents and photos of paperwork. "
    f"{QUOTE} Weights are open under the Apache licence, so teams can ship it inside products."
)


def review_answer(slug: str, *, verdict: str = "ship", quote: str = QUOTE, words: int = 100):
    """A valid review answer for a persona, as a model would send it."""
    lens = LENSES.get(slug, OpenLens)
    if lens is OpenLens:
        fields = {"answers": ["An answer for the lens."]}
    else:
        fields = {name: f"The {name.replace('_', ' ')}." for name in lens.model_fields}
    return {
        "verdict": verdict,
        "confidence": 0.7,
        "review": " ".join(["word"] * (words - 1) + [verdict + "."]),
        "lens": fields,
        "evidence": [quote],
    }


def slug_of(info) -> str:
    """The persona a request is for, read from its instructions."""
    for slug in ("builder", "skeptic", "futurist", "operator"):
        if f"You are {slug.title()}," in (info.instructions or ""):
            return slug
    raise AssertionError("no persona in the instructions")


def valid(messages, info):
    """A scripted handler: a valid review from whichever persona is asked."""
    return review_answer(slug_of(info))


def builder_picks_beta_skeptic_flips(messages, info):
    """Reviews as usual; on head-to-head the builder picks Beta in both orders, while the
    skeptic always picks whichever tool comes first."""
    prompt = str(messages[0])
    if "Which would you ship with" not in prompt:
        return valid(messages, info)
    if "You are Skeptic," in info.instructions:
        pick = "first"
    else:
        pick = "first" if prompt.index("name: Beta") < prompt.index("name: Alpha") else "second"
    return {"pick": pick, "for_whom": "Small teams.", "reason": "Simpler to run."}


def execute_all(run: PanelRun) -> None:
    """Do every job of a run here, without waiting between attempts."""
    for job_id in run.jobs.values_list("pk", flat=True):
        panel_job_execute(job_id=job_id, sleep=lambda seconds: None)


Handler = Callable[[list[ModelMessage], AgentInfo], dict | str]


@dataclass
class Script:
    """A model whose replies a test scripts in order; dicts are sent as the structured answer."""

    handlers: list[Handler] = field(default_factory=list)
    default: Handler | None = None
    seen: list[tuple[list[ModelMessage], AgentInfo]] = field(default_factory=list)

    def then(self, *answers: dict | str | Handler) -> "Script":
        for answer in answers:
            self.handlers.append(answer if callable(answer) else (lambda m, i, a=answer: a))
        return self

    def respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self.seen.append((messages, info))
        handler = self.handlers.pop(0) if self.handlers else self.default
        if handler is None:
            raise AssertionError("the scripted model was called more often than scripted")
        answer = handler(messages, info)
        if isinstance(answer, dict) and info.output_tools:
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, answer)])
        return ModelResponse(parts=[TextPart(answer if isinstance(answer, str) else str(answer))])


@pytest.fixture
def panel_settings(settings):
    settings.VERDICTS_PANEL_MODEL = ""
    settings.VERDICTS_PANEL_TIMEOUT = 2
    settings.VERDICTS_PANEL_MAX_ATTEMPTS = 3
    settings.VERDICTS_PANEL_OUTPUT_RETRIES = 1
    settings.VERDICTS_PANEL_BACKOFF = 0.01
    settings.VERDICTS_PANEL_BACKOFF_CAP = 0.05
    settings.VERDICTS_PANEL_MAX_WAIT = 30
    settings.VERDICTS_PANEL_MONTHLY_BUDGET_USD = "25"
    settings.VERDICTS_LLM_OUTPUT_MODES = {}
    settings.VERDICTS_LLM_PRICES_JSON = ""
    return settings


@pytest.fixture
def script(panel_settings):
    """Model string "script:test" answers from a Script (pydantic-ai's FunctionModel)."""
    scripted = Script()
    provider_register(
        name="script",
        build=lambda name, base_url, config: FunctionModel(scripted.respond, model_name=name),
        default_output_mode="tool",
    )
    panel_settings.VERDICTS_PANEL_MODEL = "script:test"
    yield scripted
    PROVIDERS.pop("script", None)


@pytest.fixture
def builder(db):
    return PersonaFactory(slug="builder", name="Builder", position=1)


@pytest.fixture
def skeptic(db):
    return PersonaFactory(slug="skeptic", name="Skeptic", position=2)


@pytest.fixture
def tool(db):
    return ToolFactory(slug="smolvlm-3b", name="SmolVLM-3B", description=DESCRIPTION)


@pytest.fixture
def no_worker(monkeypatch):
    """No background worker is running: queued jobs stay queued. Returns the enqueued ids."""
    enqueued: list[int] = []
    monkeypatch.setattr("verdicts.panel.services.runs.jobs_enqueue", enqueued.extend)
    return enqueued
