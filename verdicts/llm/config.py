"""The llm layer's settings block: where each provider is, its key, its output mode, its prices.

The caller builds it (the site from Django settings); nothing in this layer reads the
environment, so every variable is read, and documented, in one place.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from verdicts.llm.pricing import Price

OutputMode = Literal["tool", "native", "prompted"]
OUTPUT_MODES: tuple[str, ...] = get_args(OutputMode)
OLLAMA_LOCAL_URL = "http://127.0.0.1:11434/v1"


@dataclass(frozen=True)
class LlmSettings:
    """Provider keys and base URLs ("" when unset), output modes by provider, the price table."""

    anthropic_api_key: str = ""
    anthropic_base_url: str = ""
    openai_api_key: str = ""
    openai_base_url: str = ""
    ollama_base_url: str = ""
    compatible_api_key: str = ""
    output_modes: Mapping[str, str] = field(default_factory=dict)
    prices: Mapping[str, Price] = field(default_factory=dict)


def output_modes_errors(modes: Mapping[str, str]) -> list[str]:
    """What is wrong with an output-modes mapping, one message per bad entry."""
    return [
        f"output mode {mode!r} for {provider} is not one of {', '.join(OUTPUT_MODES)}"
        for provider, mode in modes.items()
        if mode not in OUTPUT_MODES
    ]
