import asyncio
import random
from decimal import Decimal

from pydantic import BaseModel
from pydantic_ai.messages import ModelResponse, ToolCallPart
from pydantic_ai.models import override_allow_model_requests
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.test import TestModel

from verdicts.llm.calls import backoff_delay, call_structured, retry_after_seconds
from verdicts.llm.config import LlmSettings
from verdicts.llm.pricing import Price, Usage, cost_usd
from verdicts.llm.registry import ResolvedModel, model_resolve
from verdicts.llm.testing import FakeLLMServer, Reply, anthropic_reply, valid_answer


class Answer(BaseModel):
    verdict: str
    score: int


def ask(model, **kwargs):
    resolved = ResolvedModel(model=model, model_id="x:y", provider="x", output_mode="tool")
    params = {
        "output_type": Answer,
        "instructions": "Answer.",
        "prompt": "Question?",
        "timeout": 2,
        "output_retries": 1,
        "max_output_tokens": 100,
    } | kwargs
    return asyncio.run(call_structured(resolved, **params))


def test_a_valid_answer_comes_back_with_usage_and_duration():
    outcome = ask(TestModel(custom_output_args={"verdict": "ship", "score": 3}))
    assert outcome.output == Answer(verdict="ship", score=3)
    assert outcome.error == "" and outcome.usage.input_tokens > 0 and outcome.duration >= 0


def test_an_answer_that_stays_invalid_is_an_error_not_an_exception_and_keeps_its_usage():
    def never_valid(messages, info):
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"verdict": 1})])

    outcome = ask(FunctionModel(never_valid))
    assert outcome.output is None and not outcome.transient
    assert "invalid output" in outcome.error
    assert outcome.usage.input_tokens > 0


def scripted(*answers: dict):
    """A FunctionModel that sends these answers in order, and the messages it was sent."""
    seen: list[list] = []

    def respond(messages, info):
        seen.append(messages)
        return ModelResponse(
            parts=[ToolCallPart(info.output_tools[0].name, answers[len(seen) - 1])]
        )

    return FunctionModel(respond), seen


def no_skip(answer: Answer) -> list[str]:
    return ["A skip needs a reason; say ship."] if answer.verdict == "skip" else []


def test_a_failed_output_check_goes_back_to_the_model_which_can_fix_its_answer():
    model, seen = scripted({"verdict": "skip", "score": 1}, {"verdict": "ship", "score": 2})
    outcome = ask(model, output_check=no_skip)
    assert outcome.output == Answer(verdict="ship", score=2)
    [returned] = seen[1][-1].parts
    assert returned.outcome == "retried" and returned.content == "A skip needs a reason; say ship."


def test_an_output_that_fails_its_check_on_the_last_retry_is_kept_for_the_caller():
    model, seen = scripted({"verdict": "skip", "score": 1}, {"verdict": "skip", "score": 2})
    outcome = ask(model, output_check=no_skip)
    assert outcome.output == Answer(verdict="skip", score=2) and len(seen) == 2


def test_real_requests_are_switched_off_in_tests():
    with FakeLLMServer() as fake:
        resolved = model_resolve(f"{fake.openai_base_url}#m", config=LlmSettings())
        outcome = asyncio.run(
            call_structured(
                resolved,
                output_type=Answer,
                instructions="Answer.",
                prompt="Question?",
                timeout=2,
                output_retries=0,
                max_output_tokens=100,
            )
        )
        assert outcome.output is None and "ALLOW_MODEL_REQUESTS" in outcome.error
        assert fake.requests == []


def test_a_429_is_transient_and_carries_retry_after():
    with FakeLLMServer() as fake, override_allow_model_requests(True):
        fake.add(
            Reply(status=429, json={"error": {"message": "slow"}}, headers={"Retry-After": "4"})
        )
        resolved = model_resolve(f"{fake.openai_base_url}#m", config=LlmSettings())
        outcome = asyncio.run(
            call_structured(
                resolved,
                output_type=Answer,
                instructions="Answer.",
                prompt="Question?",
                timeout=2,
                output_retries=0,
                max_output_tokens=100,
            )
        )
    assert outcome.transient and outcome.retry_after == 4 and "HTTP 429" in outcome.error
    assert len(fake.requests) == 1


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT", now=1792567670) == 10
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_backoff_grows_with_jitter_under_a_cap_and_never_undercuts_retry_after():
    rng = random.Random(1)
    delays = [
        backoff_delay(attempt=n, base=1, cap=8, retry_after=None, rng=rng) for n in range(1, 30)
    ]
    assert all(0 <= d <= 8 for d in delays) and len(set(delays)) > 20
    assert backoff_delay(attempt=1, base=1, cap=8, retry_after=30, rng=rng) == 30


def test_anthropic_input_tokens_include_cache_reads_and_writes_and_are_priced_once():
    def cached_reply(request):
        body = anthropic_reply(request, valid_answer(request))
        body["usage"].update(
            input_tokens=10,
            cache_creation_input_tokens=100,
            cache_read_input_tokens=50,
            output_tokens=7,
        )
        return Reply(json=body)

    with FakeLLMServer() as fake, override_allow_model_requests(True):
        config = LlmSettings(anthropic_api_key="test-key", anthropic_base_url=fake.url)
        fake.add(cached_reply)
        outcome = asyncio.run(
            call_structured(
                model_resolve("anthropic:claude-fake", config=config),
                output_type=Answer,
                instructions="Answer.",
                prompt="Question?",
                timeout=2,
                output_retries=0,
                max_output_tokens=100,
            )
        )
    assert outcome.usage == Usage(
        input_tokens=160, cached_tokens=50, cache_write_tokens=100, output_tokens=7
    )
    price = Price(
        input=Decimal(1), output=Decimal(2), cached_input=Decimal("0.1"), cache_write=Decimal(3)
    )
    expected = (10 * 1 + 50 * Decimal("0.1") + 100 * 3 + 7 * 2) / Decimal(1_000_000)
    assert cost_usd(outcome.usage, price) == expected.quantize(Decimal("0.000001"))
