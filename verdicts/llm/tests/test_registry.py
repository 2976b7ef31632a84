import pytest
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.openai import OpenAIChatModel

from verdicts.llm.registry import (
    COMPATIBLE,
    PROVIDERS,
    ModelConfigError,
    model_parse,
    model_resolve,
    provider_register,
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "OLLAMA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


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


def test_each_provider_builds_its_model_with_its_default_output_mode(clean_env):
    clean_env.setenv("OPENAI_API_KEY", "k")
    clean_env.setenv("ANTHROPIC_API_KEY", "k")
    openai = model_resolve("openai:gpt-4o")
    anthropic = model_resolve("anthropic:claude-sonnet-4-5")
    ollama = model_resolve("ollama:llama3.1")
    local = model_resolve("http://127.0.0.1:8080/v1#qwen2.5")
    assert isinstance(openai.model, OpenAIChatModel) and openai.output_mode == "native"
    assert isinstance(anthropic.model, AnthropicModel) and anthropic.output_mode == "tool"
    assert ollama.output_mode == "prompted" and local.output_mode == "prompted"
    assert local.model.model_name == "qwen2.5"
    assert str(local.model.client.base_url).startswith("http://127.0.0.1:8080/v1")


def test_openai_base_url_points_openai_models_at_a_local_server(clean_env):
    clean_env.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9999/v1")
    resolved = model_resolve("openai:local-model")
    assert str(resolved.model.client.base_url).startswith("http://127.0.0.1:9999/v1")
    assert resolved.output_mode == "prompted"


def test_the_output_mode_is_a_per_provider_setting(clean_env):
    resolved = model_resolve("ollama:llama3.1", output_modes={"ollama": "native"})
    assert resolved.output_mode == "native"
    with pytest.raises(ModelConfigError, match="output mode 'json'"):
        model_resolve("ollama:llama3.1", output_modes={"ollama": "json"})


def test_missing_keys_are_reported_with_the_variable_to_set(clean_env):
    with pytest.raises(ModelConfigError, match="ANTHROPIC_API_KEY"):
        model_resolve("anthropic:claude-sonnet-4-5")
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        model_resolve("openai:gpt-4o")


def test_a_provider_registers_like_a_plugin():
    provider_register(
        name="scripted-test",
        build=lambda name, base_url: FunctionModel(lambda m, i: None, model_name=name),
        default_output_mode="tool",
    )
    try:
        resolved = model_resolve("scripted-test:abc")
        assert resolved.model.model_name == "abc" and resolved.provider == "scripted-test"
    finally:
        PROVIDERS.pop("scripted-test")
