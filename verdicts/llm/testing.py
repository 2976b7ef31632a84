"""A fake LLM server on loopback that speaks the OpenAI chat-completions and Anthropic Messages
wire formats, for tests, the benchmark and trying the panel without a real model.

Replies are scripted in order (`FakeLLMServer.script`); when the script runs out, the server
answers with a valid instance of the JSON schema the request asked for.

    python -m verdicts.llm.testing --port 8089 --delay 0.2
"""

import argparse
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SENTENCE = re.compile(r"[A-Z][^.!?<>|{}\n]{30,160}[.!?]")
FILLER = (
    "It installs in minutes, the documentation covers the paths a team takes first, and the "
    "pricing is published, so a builder can test it on real work before committing to it. "
)


@dataclass
class Reply:
    """One scripted answer: an HTTP status, a JSON or raw body, headers, and a delay first."""

    status: int = 200
    json: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def words(count: int) -> str:
    """A sentence of exactly `count` words."""
    out: list[str] = []
    while len(out) < count:
        out.extend(FILLER.split())
    text = " ".join(out[:count])
    return text.rstrip(",.") + "."


def instance(schema: dict, *, defs: dict, quotes: list[str], name: str = "") -> Any:
    """A valid value for a JSON schema (the subset pydantic emits)."""
    if "$ref" in schema:
        return instance(defs[schema["$ref"].split("/")[-1]], defs=defs, quotes=quotes, name=name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return instance(options[0], defs=defs, quotes=quotes, name=name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {
            key: instance(sub, defs=defs, quotes=quotes, name=key) for key, sub in props.items()
        }
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        items = schema.get("items", {"type": "string"})
        if items.get("type") == "string" and quotes:
            return [quotes[i % len(quotes)] for i in range(min(count + 1, len(quotes)))]
        return [instance(items, defs=defs, quotes=quotes, name=name) for _ in range(count)]
    if kind in ("number", "integer"):
        low, high = schema.get("minimum", 0), schema.get("maximum", 1)
        value = low + (high - low) * 0.7
        return int(value) if kind == "integer" else round(value, 2)
    if kind == "boolean":
        return True
    limit = schema.get("maxLength")
    if limit is None:
        return words(100)
    return f"The {name.replace('_', ' ') or 'answer'}: {words(40)}"[: max(1, limit)].strip()


def schema_of(request: dict) -> dict | None:
    """The JSON schema an OpenAI or Anthropic request asks the reply to follow."""
    format_ = request.get("response_format") or {}
    if format_.get("type") == "json_schema":
        return format_["json_schema"]["schema"]
    if format_.get("type") == "json_object" and format_.get("schema"):
        return format_["schema"]
    for tool in request.get("tools") or []:
        if "function" in tool:
            return tool["function"].get("parameters")
        if "input_schema" in tool:
            return tool["input_schema"]
    text = prompt_text(request, roles=("system", "developer")) + str(request.get("system", ""))
    marker = text.find("{", text.find("schema"))
    if marker < 0:
        return None
    try:
        found, _ = json.JSONDecoder().raw_decode(text[marker:])
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def prompt_text(request: dict, *, roles: tuple[str, ...] = ("user",)) -> str:
    """The text of a request's messages in these roles."""
    parts: list[str] = []
    for message in request.get("messages", []):
        if message.get("role") not in roles:
            continue
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(str(block.get("text", "")) for block in content if isinstance(block, dict))
    return "\n".join(parts)


def valid_answer(request: dict) -> dict | str:
    """A schema-valid answer quoting sentences of the user's longest line, or plain text."""
    schema = schema_of(request)
    if schema is None:
        return words(20)
    # The longest line of a prompt is usually the body of its document, not an instruction.
    longest = max(prompt_text(request).splitlines() or [""], key=len)
    quotes = list(dict.fromkeys(SENTENCE.findall(longest)))[:3]
    return instance(schema, defs=schema.get("$defs", {}), quotes=quotes)


def tokens(request: dict) -> int:
    """A rough prompt token count: four characters a token."""
    return max(1, len(json.dumps(request)) // 4)


def openai_reply(request: dict, answer: dict | str, *, finish: str = "stop") -> dict:
    """A chat-completions body carrying `answer` the way the request asked for it."""
    message: dict[str, Any] = {"role": "assistant", "content": None}
    tools = request.get("tools") or []
    if isinstance(answer, dict) and tools:
        message["tool_calls"] = [
            {
                "id": f"call_{uuid.uuid4().hex[:8]}",
                "type": "function",
                "function": {"name": tools[0]["function"]["name"], "arguments": json.dumps(answer)},
            }
        ]
        finish = "tool_calls"
    else:
        message["content"] = answer if isinstance(answer, str) else json.dumps(answer)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:8]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": tokens(request),
            "completion_tokens": 180,
            "total_tokens": tokens(request) + 180,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    }


def anthropic_reply(request: dict, answer: dict | str) -> dict:
    """A Messages body carrying `answer` as a tool call when tools were offered."""
    tools = request.get("tools") or []
    if isinstance(answer, dict) and tools:
        content = [
            {
                "type": "tool_use",
                "id": f"toolu_{uuid.uuid4().hex[:8]}",
                "name": tools[0]["name"],
                "input": answer,
            }
        ]
        stop = "tool_use"
    else:
        text = answer if isinstance(answer, str) else json.dumps(answer)
        content, stop = [{"type": "text", "text": text}], "end_turn"
    return {
        "id": f"msg_{uuid.uuid4().hex[:8]}",
        "type": "message",
        "role": "assistant",
        "model": request.get("model", "fake"),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {
            "input_tokens": tokens(request),
            "output_tokens": 180,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    }


class FakeLLMServer:
    """A threaded HTTP server on 127.0.0.1; use as a context manager."""

    def __init__(self, *, port: int = 0, delay: float = 0.0) -> None:
        self.delay = delay
        self.script: deque[Reply | Callable[[dict], Reply]] = deque()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self.handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    def add(self, *replies: Reply | Callable[[dict], Reply]) -> None:
        """Script the next replies, in order."""
        with self.lock:
            self.script.extend(replies)

    def next_reply(self, request: dict, wire: str) -> Reply:
        with self.lock:
            self.requests.append(request)
            scripted = self.script.popleft() if self.script else None
        if callable(scripted):
            return scripted(request)
        if scripted is not None:
            return scripted
        answer = valid_answer(request)
        body = (
            anthropic_reply(request, answer)
            if wire == "anthropic"
            else openai_reply(request, answer)
        )
        return Reply(json=body, delay=self.delay)

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    request = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    request = {}
                wire = "anthropic" if self.path.rstrip("/").endswith("/messages") else "openai"
                reply = fake.next_reply(request, wire)
                if reply.delay and fake.stopping.wait(reply.delay):
                    return
                body = reply.text if reply.text is not None else json.dumps(reply.json or {})
                payload = body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    return

        return Handler

    def start(self) -> "FakeLLMServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "FakeLLMServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description="Run a fake OpenAI/Anthropic server on loopback.")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--delay", type=float, default=0.0, help="Seconds before each answer.")
    args = parser.parse_args()
    fake = FakeLLMServer(port=args.port, delay=args.delay)
    print(f"Fake LLM server on {fake.openai_base_url} (Ctrl+C stops it)", flush=True)
    try:
        fake.server.serve_forever()
    except KeyboardInterrupt:
        fake.server.server_close()


if __name__ == "__main__":
    main()
