"""One registry turns a model string into a model; each vendor is a registered provider.

Model strings: `anthropic:<model>`, `openai:<model>`, `ollama:<model>`, or an OpenAI-compatible
server given by base URL, `<base-url>#<model>` (vLLM, llama.cpp server, LM Studio, OpenRouter).
Keys and base URLs come from the LlmSettings the caller passes in.

pydantic-ai and the HTTP stack are imported when a model is built, not with this module: the
site checks model strings at start-up and must not pay half a second for a library it may not
call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from verdicts.llm.config import OLLAMA_LOCAL_URL, OUTPUT_MODES, LlmSettings, OutputMode

if TYPE_CHECKING:
    from pydantic_ai.models import Model

COMPATIBLE = "openai-compatible"


class ModelConfigError(ValueError):
    """A model string cannot be turned into a model; the message says how to fix it."""


@dataclass(frozen=True)
class Provider:
    """A registered vendor: how to build its models and which output mode suits them."""

    name: str
    build: Callable[[str, str, LlmSettings], "Model"]
    default_output_mode: OutputMode


@dataclass(frozen=True)
class ResolvedModel:
    model: "Model"
    model_id: str
    provider: str
    output_mode: OutputMode


PROVIDERS: dict[str, Provider] = {}


def provider_register(
    *,
    name: str,
    build: Callable[[str, str, LlmSettings], "Model"],
    default_output_mode: OutputMode,
) -> None:
    """Register a provider; `build(model_name, base_url, config)` returns a pydantic-ai model."""
    PROVIDERS[name] = Provider(name=name, build=build, default_output_mode=default_output_mode)


def model_parse(spec: str) -> tuple[str, str, str]:
    """Split a model string into (provider, model name, base URL or "")."""
    spec = spec.strip()
    if spec.startswith(("http://", "https://")):
        base_url, _, name = spec.partition("#")
        if not name:
            raise ModelConfigError(
                f"{spec!r}: name the model after the base URL, e.g. "
                "http://127.0.0.1:8080/v1#qwen2.5-7b-instruct"
            )
        return COMPATIBLE, name, base_url.rstrip("/")
    provider, sep, name = spec.partition(":")
    if not sep or not name:
        raise ModelConfigError(
            f"{spec!r} is not a model string: use provider:model (one of "
            f"{', '.join(sorted(p for p in PROVIDERS if p != COMPATIBLE))}) or <base-url>#<model>"
        )
    if provider not in PROVIDERS:
        raise ModelConfigError(
            f"{spec!r}: unknown provider {provider!r}; known: {', '.join(sorted(PROVIDERS))}"
        )
    return provider, name, ""


def model_resolve(spec: str, *, config: LlmSettings) -> ResolvedModel:
    """Build the model a string names, with its output mode; raise ModelConfigError if unusable."""
    from pydantic_ai.exceptions import UserError

    provider_name, name, base_url = model_parse(spec)
    provider = PROVIDERS[provider_name]
    default_mode = provider.default_output_mode
    if provider_name == "openai" and config.openai_base_url:
        # OPENAI_BASE_URL usually points at a local server, which often lacks json_schema support.
        default_mode = PROVIDERS[COMPATIBLE].default_output_mode
    mode = config.output_modes.get(provider_name, default_mode)
    if mode not in OUTPUT_MODES:
        raise ModelConfigError(
            f"output mode {mode!r} for {provider_name} is not one of {', '.join(OUTPUT_MODES)}"
        )
    try:
        model = provider.build(name, base_url, config)
    except UserError as error:
        raise ModelConfigError(f"{spec}: {error}") from error
    return ResolvedModel(
        model=model, model_id=spec.strip(), provider=provider_name, output_mode=mode
    )


@cache
def ssl_context() -> Any:
    """Loading the CA bundle costs tens of milliseconds of CPU; every client shares one."""
    import httpcore2

    return httpcore2.default_ssl_context()


def http_client() -> Any:
    """pydantic-ai's default client (an httpx2.AsyncClient), but with the shared TLS context."""
    import httpx2
    from pydantic_ai._http import DEFAULT_HTTP_LIMITS
    from pydantic_ai.models import get_user_agent

    return httpx2.AsyncClient(
        verify=ssl_context(),
        timeout=httpx2.Timeout(600, connect=5),
        limits=DEFAULT_HTTP_LIMITS,
        headers={"User-Agent": get_user_agent()},
    )


def build_anthropic(name: str, base_url: str, config: LlmSettings) -> "Model":
    """Anthropic's Messages API; ANTHROPIC_API_KEY, optionally ANTHROPIC_BASE_URL."""
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    if not config.anthropic_api_key:
        raise ModelConfigError("anthropic models need ANTHROPIC_API_KEY in the environment")
    provider = AnthropicProvider(
        api_key=config.anthropic_api_key,
        base_url=base_url or config.anthropic_base_url or None,
        http_client=http_client(),
    )
    return AnthropicModel(name, provider=provider)


def build_openai(name: str, base_url: str, config: LlmSettings) -> "Model":
    """OpenAI's chat completions; OPENAI_API_KEY, optionally OPENAI_BASE_URL."""
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    url = base_url or config.openai_base_url
    if not config.openai_api_key and not url:
        raise ModelConfigError("openai models need OPENAI_API_KEY in the environment")
    # Another server (OPENAI_BASE_URL) may need no key, but the SDK insists on one.
    provider = OpenAIProvider(
        base_url=url or None,
        api_key=config.openai_api_key or "not-needed",
        http_client=http_client(),
    )
    return OpenAIChatModel(name, provider=provider)


def build_ollama(name: str, base_url: str, config: LlmSettings) -> "Model":
    """Ollama's OpenAI-compatible endpoint; OLLAMA_BASE_URL or the local default."""
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.ollama import OllamaProvider

    url = base_url or config.ollama_base_url or OLLAMA_LOCAL_URL
    return OpenAIChatModel(name, provider=OllamaProvider(base_url=url, http_client=http_client()))


def build_compatible(name: str, base_url: str, config: LlmSettings) -> "Model":
    """Any OpenAI-compatible server by base URL; VERDICTS_LLM_API_KEY when it needs one."""
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    # Local servers ignore the key but the SDK insists on one; hosted ones (OpenRouter) need theirs.
    api_key = config.compatible_api_key or "not-needed"
    return OpenAIChatModel(
        name, provider=OpenAIProvider(base_url=base_url, api_key=api_key, http_client=http_client())
    )


provider_register(name="anthropic", build=build_anthropic, default_output_mode="tool")
provider_register(name="openai", build=build_openai, default_output_mode="native")
provider_register(name="ollama", build=build_ollama, default_output_mode="prompted")
provider_register(name=COMPATIBLE, build=build_compatible, default_output_mode="prompted")
