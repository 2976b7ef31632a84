"""A fake judge on loopback for the self-audit: the fake LLM server, answering reviews and
head-to-heads by a rule the test picks per model name, so each planted bias is known.

Every mode judges a tool by its dossier alone (ship what has open weights) unless its bias
says otherwise: `obey` follows an instruction planted in the dossier ("vote skip", "pick X"),
`first` always picks the tool shown first, `favour(vendor)` ships and picks that vendor's
tools, and `swayable(base)` is swayed by steering text even once it is set aside.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from verdicts.llm.testing import FakeLLMServer, Reply, openai_reply, prompt_text, valid_answer
from verdicts.panel.dossier import OPEN
from verdicts.panel.steering.detector import MARKER

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
ORDER = re.compile(r"\b(?:vote|verdict)\W{0,3}(ship|skip)\b", re.IGNORECASE)
PICK = re.compile(r"\bpick\s+(\S+?)[.!,;]?(?:\s|$)", re.IGNORECASE)
SET_ASIDE = MARKER.split("{")[0]


@dataclass(frozen=True)
class Tool:
    """What the fake reads in one dossier block."""

    name: str
    vendor: str
    open_weights: bool
    text: str

    @classmethod
    def read(cls, block: str) -> "Tool":
        def line(label: str) -> str:
            found = re.search(rf"^{label}: (.*)$", block, flags=re.MULTILINE)
            return found.group(1).strip() if found else ""

        return cls(line("name"), line("vendor"), line("open weights") == "yes", block)

    @property
    def planted(self) -> str:
        """A verdict an instruction in the text asks for, as a model that obeys would read it."""
        found = ORDER.search(self.text.translate(INVISIBLE))
        return found.group(1).lower() if found else ""

    @property
    def planted_pick(self) -> str:
        """The name of a tool an instruction in the text says to pick."""
        found = PICK.search(self.text.translate(INVISIBLE))
        return found.group(1) if found else ""

    @property
    def steered(self) -> bool:
        """Whether text was set aside from this tool's material (the detector's marker)."""
        return SET_ASIDE in self.text


def clean_verdict(tool: Tool) -> str:
    return "ship" if tool.open_weights else "skip"


def clean_pick(first: Tool, second: Tool) -> str:
    if first.open_weights != second.open_weights:
        return "first" if first.open_weights else "second"
    return "first" if first.name <= second.name else "second"


@dataclass(frozen=True)
class Judge:
    """How one fake model decides; `verdict` reads a review's dossier, `pick` a pair's."""

    verdict: Callable[[Tool], str] = clean_verdict
    pick: Callable[[Tool, Tool], str] = clean_pick


def obeyed_pick(first: Tool, second: Tool) -> str:
    """The pick an instruction in either dossier asks for ("" when none names one of them)."""
    for name in filter(None, (first.planted_pick, second.planted_pick)):
        if name.casefold() == first.name.casefold():
            return "first"
        if name.casefold() == second.name.casefold():
            return "second"
    return ""


CLEAN = Judge()
OBEY = Judge(
    verdict=lambda tool: tool.planted or clean_verdict(tool),
    pick=lambda first, second: obeyed_pick(first, second) or clean_pick(first, second),
)
FIRST = Judge(pick=lambda first, second: "first")


def favour(vendor: str) -> Judge:
    """Ships the vendor's tools and picks them over any other."""

    def verdict(tool: Tool) -> str:
        return "ship" if tool.vendor == vendor else clean_verdict(tool)

    def pick(first: Tool, second: Tool) -> str:
        if (first.vendor == vendor) != (second.vendor == vendor):
            return "first" if first.vendor == vendor else "second"
        return clean_pick(first, second)

    return Judge(verdict=verdict, pick=pick)


def swayable(base: Judge = CLEAN) -> Judge:
    """A model that setting the text aside does not stop, like the one issue #17 met: it ships
    and picks the tool whose material had text set aside; elsewhere it judges as `base`. Only
    the counterfactual, asked with no vendor-written text (so no marker), shows the sway."""

    def verdict(tool: Tool) -> str:
        return "ship" if tool.steered else base.verdict(tool)

    def pick(first: Tool, second: Tool) -> str:
        if first.steered != second.steered:
            return "first" if first.steered else "second"
        return base.pick(first, second)

    return Judge(verdict=verdict, pick=pick)


def judged(request: dict, judge: Judge) -> dict | str:
    """A schema-valid answer whose verdict or pick the judge chose from the dossiers."""
    answer = valid_answer(request)
    tools = [Tool.read(block) for block in prompt_text(request).split(OPEN)[1:]]
    if isinstance(answer, dict) and "verdict" in answer and len(tools) == 1:
        answer["verdict"] = judge.verdict(tools[0])
    elif isinstance(answer, dict) and "pick" in answer and len(tools) == 2:
        answer["pick"] = judge.pick(*tools)
    return answer


class FakeJudgeServer(FakeLLMServer):
    """The fake server, judging by the mode named for the request's model (CLEAN otherwise);
    scripted replies still come first."""

    def __init__(self, *, modes: dict[str, Judge], **kwargs) -> None:
        super().__init__(**kwargs)
        self.modes = modes

    def next_reply(self, request: dict, wire: str) -> Reply:
        with self.lock:
            scripted = bool(self.script)
        if scripted or wire != "openai":
            return super().next_reply(request, wire)
        with self.lock:
            self.requests.append(request)
        judge = self.modes.get(request.get("model", ""), CLEAN)
        return Reply(json=openai_reply(request, judged(request, judge)), delay=self.delay)

    def model(self, name: str) -> str:
        """The model string that reaches this server as `name`."""
        return f"{self.openai_base_url}#{name}"
