"""One structured call to a model, and the arithmetic of retrying and paying for it.

A call never raises for a model's failure: it returns an Outcome that says whether the failure
is worth another attempt and how long the server asked us to wait.

This is the one module that imports pydantic-ai's agent machinery (half a second): import it
only where a call is made.
"""

import asyncio
import email.utils
import os
import random
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic_ai import (
    Agent,
    ModelRetry,
    NativeOutput,
    PromptedOutput,
    RunContext,
    ToolOutput,
    capture_run_messages,
)
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelConnectionError,
    ModelHTTPError,
    ModelRequestTimeout,
    UnexpectedModelBehavior,
)
from pydantic_ai.messages import ModelResponse

from verdicts.llm.pricing import Usage
from verdicts.llm.registry import ResolvedModel

TRANSIENT_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


@dataclass
class Outcome[T: BaseModel]:
    """What one call produced: the validated output, or an error and whether to try again."""

    output: T | None = None
    error: str = ""
    transient: bool = False
    retry_after: float | None = None
    usage: Usage = field(default_factory=Usage)
    duration: float = 0.0


def wrap_output(output_type: type[BaseModel], mode: str) -> Any:
    """The output type in the provider's structured-output mode."""
    if mode == "tool":
        return ToolOutput(output_type, name="final_result")
    if mode == "native":
        return NativeOutput(output_type)
    return PromptedOutput(output_type)


def usage_from_messages(messages: list) -> Usage:
    """Add up the usage of every model response in a run, including failed runs."""
    totals = {"input": 0, "cached": 0, "write": 0, "output": 0}
    for message in messages:
        if isinstance(message, ModelResponse):
            totals["input"] += message.usage.input_tokens
            totals["cached"] += message.usage.cache_read_tokens
            totals["write"] += message.usage.cache_write_tokens
            totals["output"] += message.usage.output_tokens
    return Usage(
        input_tokens=totals["input"],
        cached_tokens=totals["cached"],
        cache_write_tokens=totals["write"],
        output_tokens=totals["output"],
    )


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Parse a Retry-After header: seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def classify(error: Exception) -> tuple[str, bool, float | None]:
    """Turn a pydantic-ai error into (message, transient, retry_after)."""
    if isinstance(error, ModelHTTPError):
        retry_after = retry_after_seconds((error.headers or {}).get("retry-after"))
        body = str(error.body)[:300] if error.body else ""
        message = f"HTTP {error.status_code} from {error.model_name}" + (
            f": {body}" if body else ""
        )
        return message, error.status_code in TRANSIENT_STATUSES, retry_after
    if isinstance(error, ModelRequestTimeout | ModelConnectionError | TimeoutError):
        return f"no answer in time or connection failed: {error}", True, None
    if isinstance(error, UnexpectedModelBehavior):
        detail = f" ({str(error.body)[:300]})" if error.body else ""
        return f"invalid output: {error.message}{detail}", False, None
    if isinstance(error, ModelAPIError):
        return f"model API error: {error}", False, None
    return f"{type(error).__name__}: {error}", False, None


@asynccontextmanager
async def client_closed(resolved: ResolvedModel) -> AsyncIterator[None]:
    """A resolved model serves one call; close its HTTP connections when the call ends."""
    try:
        yield
    finally:
        client = getattr(resolved.model, "client", None)
        if client is not None and hasattr(client, "close"):
            await client.close()


async def call_structured[T: BaseModel](
    resolved: ResolvedModel,
    *,
    output_type: type[T],
    instructions: str,
    prompt: str,
    timeout: float,
    output_retries: int,
    max_output_tokens: int,
    output_check: Callable[[T], list[str]] | None = None,
) -> Outcome[T]:
    """Ask the model once for a validated `output_type`; invalid replies go back to it.

    `output_check` returns what is wrong with a valid reply (e.g. a misquote): the problems go
    back to the model as a retry, and on the last retry the reply is kept for the caller to flag.
    """
    agent = Agent(
        resolved.model,
        output_type=wrap_output(output_type, resolved.output_mode),
        instructions=instructions,
        retries={"output": output_retries, "tools": output_retries},
        model_settings={
            "max_retries": 0,
            "request_timeout": timeout,
            "timeout": timeout,
            "max_tokens": max_output_tokens,
            "temperature": 0.4,
        },
    )
    if output_check is not None:

        @agent.output_validator
        def checked(context: RunContext, output: T) -> T:
            problems = output_check(output)
            if problems and not context.last_attempt:
                raise ModelRetry("\n".join(problems))
            return output

    started = time.monotonic()
    with capture_run_messages() as messages:
        try:
            async with client_closed(resolved):
                result = await agent.run(prompt)
        except Exception as error:
            # Anything a vendor's server or SDK throws becomes a recorded failure, never a crash
            # that would leave the caller's job half done.
            message, transient, retry_after = classify(error)
            return Outcome(
                error=message,
                transient=transient,
                retry_after=retry_after,
                usage=usage_from_messages(messages),
                duration=time.monotonic() - started,
            )
    return Outcome(
        output=result.output,
        usage=usage_from_messages(result.all_messages()),
        duration=time.monotonic() - started,
    )


class BackgroundLoop:
    """One event loop on a daemon thread for the whole process. Worker threads hand it their
    calls, so concurrent calls share it instead of each paying to build and tear down a loop."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pid = 0

    def get(self) -> asyncio.AbstractEventLoop:
        with self.lock:
            # A forked child (gunicorn, a test subprocess) inherits the object but not the thread.
            if self.loop is None or self.pid != os.getpid():
                self.loop = asyncio.new_event_loop()
                self.pid = os.getpid()
                threading.Thread(
                    target=self.loop.run_forever, name="llm-calls", daemon=True
                ).start()
            return self.loop


BACKGROUND = BackgroundLoop()


def call_structured_sync[T: BaseModel](resolved: ResolvedModel, **kwargs: Any) -> Outcome[T]:
    """call_structured from synchronous code, on the shared background loop."""
    coroutine = call_structured(resolved, **kwargs)
    return asyncio.run_coroutine_threadsafe(coroutine, BACKGROUND.get()).result()


def backoff_delay(
    *, attempt: int, base: float, cap: float, retry_after: float | None, rng: random.Random
) -> float:
    """Full-jitter exponential backoff, but never sooner than the server's Retry-After."""
    delay = rng.uniform(0, min(cap, base * 2 ** (attempt - 1)))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay
