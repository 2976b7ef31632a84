import pytest
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.openai import OpenAIChatModel

from verdicts.llm.config import LlmSettings
from verdicts.llm.registry import (
    COMPATIBLE,
    PROVIDERS,
    ModelConfigError,
    model_parse,
    model_resolve,
    provider_register,
)

NOTHING_SET = LlmSettings()


def test_model_strings_name_a_provider_and_a_model():
    assert model_parse("anthropic:claude-sonnet-4-5") == ("anthropic", "claude-sonnet-4-5", "")
    assert model_parse("ollama:llama3.1:8b") == ("ollama", "llama3.1:8b", "")
    assert model_parse("http://127.0.0.1:8000/v1/#qwen") == (
        COMPATIBLE,
        "qwen",
        "http://127.0.0.1:8000/v1",
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gpt-4o", "provider:model"),
        ("mystery:model", "unknown provider 'mystery'"),
        ("http://127.0.0.1:8000/v1", "name the model after the base URL"),
        ("openai:", "provider:model"),
    ],
)
def test_bad_model_strings_say_how_to_write_one(spec, message):
    with pytest.raises(ModelConfigError, match=message):
        model_parse(spec)


def test_each_provider_builds_its_model_with_its_default_output_mode():
    keys = LlmSettings(openai_api_key="k", anthropic_api_key="k")
    openai = model_resolve("openai:gpt-4o", config=keys)
    anthropic = model_resolve("anthropic:claude-sonnet-4-5", config=keys)
    ollama = model_resolve("ollama:llama3.1", config=keys)
    local = model_resolve("http://127.0.0.1:8080/v1#qwen2.5", config=keys)
    assert isinstance(openai.model, OpenAIChatModel) and openai.output_mode == "native"
    assert isinstance(anthropic.model, AnthropicModel) and anthropic.output_mode == "tool"
    assert ollama.output_mode == "prompted" and local.output_mode == "prompted"
    assert local.model.model_name == "qwen2.5"
    assert str(local.model.client.base_url).startswith("http://127.0.0.1:8080/v1")
    assert str(ollama.model.client.base_url).startswith("http://127.0.0.1:11434/v1")
    assert anthropic.model.client.api_key == "k"


def test_base_urls_and_keys_come_from_the_settings_passed_in():
    config = LlmSettings(
        anthropic_api_key="a-key",
        anthropic_base_url="http://127.0.0.1:9998",
        ollama_base_url="http://127.0.0.1:9997/v1",
        compatible_api_key="router-key",
    )
    anthropic = model_resolve("anthropic:claude-sonnet-4-5", config=config)
    ollama = model_resolve("ollama:llama3.1", config=config)
    hosted = model_resolve("https://openrouter.example/api/v1#some/model", config=config)
    assert str(anthropic.model.client.base_url).startswith("http://127.0.0.1:9998")
    assert str(ollama.model.client.base_url).startswith("http://127.0.0.1:9997/v1")
    assert hosted.model.client.api_key == "router-key"


def test_openai_base_url_points_openai_models_at_a_local_server():
    config = LlmSettings(openai_base_url="http://127.0.0.1:9999/v1")
    resolved = model_resolve("openai:local-model", config=config)
    assert str(resolved.model.client.base_url).startswith("http://127.0.0.1:9999/v1")
    assert resolved.output_mode == "prompted"


def test_the_output_mode_is_a_per_provider_setting():
    native = LlmSettings(output_modes={"ollama": "native"})
    assert model_resolve("ollama:llama3.1", config=native).output_mode == "native"
    with pytest.raises(ModelConfigError, match="output mode 'json'"):
        model_resolve("ollama:llama3.1", config=LlmSettings(output_modes={"ollama": "json"}))


def test_missing_keys_are_reported_with_the_variable_to_set():
    with pytest.raises(ModelConfigError, match="ANTHROPIC_API_KEY"):
        model_resolve("anthropic:claude-sonnet-4-5", config=NOTHING_SET)
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        model_resolve("openai:gpt-4o", config=NOTHING_SET)


def test_a_provider_registers_like_a_plugin():
    provider_register(
        name="scripted-test",
        build=lambda name, base_url, config: FunctionModel(lambda m, i: None, model_name=name),
        default_output_mode="tool",
    )
    try:
        resolved = model_resolve("scripted-test:abc", config=NOTHING_SET)
        assert resolved.model.model_name == "abc" and resolved.provider == "scripted-test"
    finally:
        PROVIDERS.pop("scripted-test")


def test_the_registry_imports_without_pydantic_ai():
    """Start-up checks model strings through the registry; the agent library loads on a call."""
    import subprocess
    import sys

    code = "import sys, verdicts.llm.registry; print('pydantic_ai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
