"""What a tool is, in comparable pieces: the text we embed, and the facts the score compares."""

import hashlib
import re
from dataclasses import dataclass

from verdicts.catalog.models import Tool

# Fact keys the starter catalog and imports use for the same idea.
MODALITY_KEYS = ("modalities", "modality", "inputs", "outputs")
TASK_KEYS = ("tasks", "skills", "products", "use_cases")
DEPLOYMENT_KEYS = ("deployment", "runs_on", "availability")

# Text is nearly every model's input and output: sharing it says nothing, so it is not scored.
MODALITIES = ("image", "audio", "video", "pdf")
MODALITY_ALIASES = {"images": "image", "photo": "image", "speech": "audio", "pdfs": "pdf"}
INPUT, OUTPUT = 0, 1

SELF_HOSTED, API = 1, 2
SELF_HOSTED_WORDS = re.compile(r"self[- ]hosted|on[- ]device|\bedge\b|\blocal|\bcpu\b|\bgpu\b")
API_WORDS = re.compile(r"\bapi\b|\bcloud\b")
DEPLOYMENT_REASONS = {SELF_HOSTED: "both self-hosted", API: "both served by API"}

OPEN_WEIGHTS, OPEN_SOURCE, PROPRIETARY = 1, 2, 3
LICENCE_REASONS = {
    OPEN_WEIGHTS: "both open weights",
    OPEN_SOURCE: "both open source",
    PROPRIETARY: "both proprietary",
}
PRICE_CODES = {"free": 1, "freemium": 2, "paid": 3}
PRICE_REASONS = {1: "both free", 2: "both freemium", 3: "both paid"}

STOP_WORDS = {"a", "an", "the", "of", "to", "for", "about", "on", "in", "with", "by", "from"}
SPLIT_LIST = re.compile(r"[,;]|\band\b|\bor\b")


def tool_text(tool: Tool) -> str:
    """Name, tagline, description, category and key facts: the text a tool is embedded by."""
    lines = [f"{tool.name}: {tool.tagline}", tool.description, f"Category: {tool.category.name}"]
    lines += [f"{key.replace('_', ' ')}: {value}" for key, value in (tool.facts or {}).items()]
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def word_stem(word: str) -> str:
    """A crude English stem, enough to match "captions", "captioning" and "caption"."""
    for suffix in ("ing", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tasks_parse(value: str) -> dict[str, str]:
    """Each listed task by its normalised words: "Reading documents" is "read document"."""
    tasks = {}
    for item in SPLIT_LIST.split(value):
        words = [
            word_stem(w) for w in re.findall(r"[a-z0-9]+", item.lower()) if w not in STOP_WORDS
        ]
        if words:
            tasks.setdefault(" ".join(words), item.strip().lower())
    return tasks


def modality_bit(name: str, direction: int) -> int:
    return 1 << (MODALITIES.index(name) * 2 + direction)


def modalities_parse(key: str, value: str) -> int:
    """A bit mask of (modality, input or output): "Text and image input, text output" has
    image input. An item without "input" or "output" takes the direction of the next one that
    says, as in "Text, image and PDF input"."""
    mask = 0
    pending: list[str] = []
    for piece in re.split(r"[,;]", value.lower()):
        words = re.findall(r"[a-z]+", piece)
        pending += [MODALITY_ALIASES.get(w, w) for w in words]
        if key == "outputs" or {"output", "outputs", "out"} & set(words):
            direction = OUTPUT
        elif key == "inputs" or {"input", "inputs", "in"} & set(words):
            direction = INPUT
        else:
            continue
        mask |= sum(modality_bit(w, direction) for w in set(pending) if w in MODALITIES)
        pending = []
    default = OUTPUT if key == "outputs" else INPUT
    return mask | sum(modality_bit(w, default) for w in set(pending) if w in MODALITIES)


def modality_reasons(shared: int) -> list[str]:
    reasons = []
    for index, name in enumerate(MODALITIES):
        if shared & (1 << (index * 2 + INPUT)):
            reasons.append(f"both take {name} input")
        if shared & (1 << (index * 2 + OUTPUT)):
            reasons.append(f"both output {name}")
    return reasons


def deployment_parse(value: str) -> int:
    text = value.lower()
    return (SELF_HOSTED if SELF_HOSTED_WORDS.search(text) else 0) | (
        API if API_WORDS.search(text) else 0
    )


def licence_kind(*, open_weights: bool, licence: str) -> int:
    if open_weights:
        return OPEN_WEIGHTS
    if not licence:
        return 0
    return PROPRIETARY if "proprietary" in licence.lower() else OPEN_SOURCE


@dataclass(frozen=True)
class Features:
    """The facts a rival score compares, each as a small code (0: unknown)."""

    category_id: int
    licence: int
    deployment: int
    modalities: int
    price: int
    tasks: dict[str, str]


def features_of(
    *, category_id: int, open_weights: bool, licence: str, facts: dict, entry_tier: str
) -> Features:
    facts = {key.lower(): str(value) for key, value in (facts or {}).items()}
    modalities = deployment = 0
    tasks: dict[str, str] = {}
    for key in MODALITY_KEYS:
        if key in facts:
            modalities |= modalities_parse(key, facts[key])
    for key in DEPLOYMENT_KEYS:
        if key in facts:
            deployment |= deployment_parse(facts[key])
    for key in TASK_KEYS:
        if key in facts:
            tasks |= tasks_parse(facts[key])
    return Features(
        category_id=category_id,
        licence=licence_kind(open_weights=open_weights, licence=licence),
        deployment=deployment,
        modalities=modalities,
        price=PRICE_CODES.get(entry_tier, 0),
        tasks=tasks,
    )


def tool_features(tool: Tool) -> Features:
    return features_of(
        category_id=tool.category_id,
        open_weights=tool.open_weights,
        licence=tool.licence,
        facts=tool.facts,
        entry_tier=tool.entry_tier,
    )
