"""A model on the Hugging Face Hub, from its API and its model card.

Targets: `hf:<owner>/<name>`, a model page URL (`https://huggingface.co/<owner>/<name>`, or the
same path under `VERDICTS_HF_API_URL`), and `hf-search:<query>` (the 20 models matching it
that changed last). Read: `<hub>/api/models/<id>` (id, author, pipeline_tag, the licence from
cardData.license else a `license:` tag, downloads, likes, lastModified, the parameter count from
safetensors) and the card `<hub>/<id>/raw/main/README.md`, whose first paragraph of prose is the
tagline and which joins the tool's documents. A model without a card is read without one.
"""

import re
from urllib.parse import urlencode

from django.conf import settings

from verdicts.ingest.importers.base import (
    ArtifactMissing,
    ConditionalRead,
    Importer,
    ImportRefused,
    Refusal,
    RegistryCheck,
    SourceDocument,
    ToolFacts,
    Validators,
    read_now,
    sourced,
)
from verdicts.ingest.importers.registry import (
    HUB_ID,
    RateLimited,
    Registry,
    date_of,
    hub_base,
    hub_model_in,
    json_of,
    registry_get,
    text_of,
)

REGISTRY = "Hugging Face Hub"
SEARCH_PREFIX = "hf-search:"
SEARCH_LIMIT = 20
JSON = ["application/json"]
CARD_TYPES = ["text/plain", "text/markdown"]
TAGLINE_MAX = 140
DESCRIPTION_MAX = 2000
FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Markdown and HTML inside a paragraph, reduced to the words a reader sees.
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")
EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
NOT_PROSE = ("#", "!", "[!", "<", "|", ">", "```", "~~~", "---", "***", "===", "- ", "* ", "+ ")
NUMBERED = re.compile(r"^\d+[.)]\s")
PROSE_MIN_WORDS = 4


def hub_registry() -> Registry:
    return Registry(
        name=REGISTRY,
        token=settings.HF_TOKEN,
        token_setting="HF_TOKEN",
        # Without a token the Hub hides whether a repository exists behind a 401.
        missing_codes=frozenset({"RepoNotFound", "EntryNotFound", "RevisionNotFound"}),
    )


def model_id_from(target: str) -> str | None:
    """The model a target names, or None when it is not a Hub model target."""
    if target.lower().startswith("hf:"):
        return target[3:].strip()
    return hub_model_in(target)


def parameters_text(total: int) -> str:
    """A parameter count as readers write it, to three figures: 3.07B, 135M, 1.2T."""
    for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        value = float(f"{total / scale:.3g}")  # rounded first: 999,999,999 is 1B, not 1000M
        if value >= 1:
            return f"{value:g}{unit}"
    return str(total)


def parameter_count(data: dict) -> int | None:
    counts = data.get("safetensors") if isinstance(data.get("safetensors"), dict) else {}
    total = counts.get("total")
    if not isinstance(total, int) or isinstance(total, bool):
        by_type = counts.get("parameters") if isinstance(counts.get("parameters"), dict) else {}
        numbers = [n for n in by_type.values() if isinstance(n, int) and not isinstance(n, bool)]
        total = sum(numbers) if numbers else None
    return total if total else None


def licence_from(data: dict) -> str:
    card = data.get("cardData") if isinstance(data.get("cardData"), dict) else {}
    licence = card.get("license")
    if isinstance(licence, list):  # a card may list several
        licence = ", ".join(str(item) for item in licence if isinstance(item, str))
    if isinstance(licence, str) and licence.strip():
        return licence.strip()[:120]
    for tag in data.get("tags") or []:
        if isinstance(tag, str) and tag.startswith("license:"):
            return tag.removeprefix("license:").strip()[:120]
    return ""


def count_text(value: object) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def card_body(text: str) -> str:
    """The card without its YAML front matter (the metadata the API already gave)."""
    return FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1).strip()


def prose_text(lines: list[str]) -> str:
    text = " ".join(lines)
    for pattern, replacement in ((IMAGE, ""), (LINK, r"\1"), (TAG, ""), (EMPHASIS, "")):
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def first_paragraph(markdown: str) -> str:
    """The card's first paragraph of prose: headings, badges, HTML, tables, lists, code skipped."""
    block: list[str] = []
    fenced = False
    for line in [*markdown.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or not stripped or stripped.startswith(NOT_PROSE) or NUMBERED.match(stripped):
            text = prose_text(block)
            if len(text.split()) >= PROSE_MIN_WORDS:
                return text
            block = []
            continue
        block.append(stripped)
    return ""


def tagline_of(paragraph: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0]
    if len(sentence) <= TAGLINE_MAX:
        return sentence
    return sentence[: TAGLINE_MAX - 1].rstrip() + "…"


class HubImporter(Importer):
    name = "Hugging Face Hub"

    def can_import(self, target: str) -> bool:
        return target.lower().startswith(SEARCH_PREFIX) or model_id_from(target) is not None

    def read(self, target: str) -> list[ToolFacts | Refusal]:
        if target.lower().startswith(SEARCH_PREFIX):
            return self.search(target, validators=Validators()).items or []
        model = model_id_from(target) or ""
        if not HUB_ID.match(model):
            raise ImportRefused(f"{model!r} is not a Hub model id (owner/name)")
        return [self.model_read(hub_registry(), model, target=target)]

    def read_conditional(self, target: str, *, validators: Validators) -> ConditionalRead:
        if target.lower().startswith(SEARCH_PREFIX):
            return self.search(target, validators=validators)
        return super().read_conditional(target, validators=validators)

    def search(self, target: str, *, validators: Validators) -> ConditionalRead:
        """The models a search lists, each read in full; a rate limit stops the rest."""
        query = target[len(SEARCH_PREFIX) :].strip()
        if not query:
            raise ImportRefused("hf-search: needs a query, e.g. hf-search:smollm")
        registry = hub_registry()
        params = {"search": query, "sort": "lastModified", "direction": "-1"}
        url = f"{hub_base()}/api/models?{urlencode({**params, 'limit': SEARCH_LIMIT})}"
        listed = registry_get(registry, url, accept=JSON, validators=validators)
        if listed is None:
            raise ImportRefused(f"{url} answered 404: no model search there")
        answered = Validators(
            etag=listed.etag or validators.etag,
            last_modified=listed.last_modified or validators.last_modified,
        )
        if listed.not_modified:
            return ConditionalRead(items=None, validators=answered)
        models = json_of(listed)
        if not isinstance(models, list):
            raise ImportRefused(f"{url} answered JSON that is not a list of models")
        items: list[ToolFacts | Refusal] = []
        for position, entry in enumerate(models[:SEARCH_LIMIT]):
            model = str(entry.get("id") or "") if isinstance(entry, dict) else ""
            if not HUB_ID.match(model):
                items.append(Refusal(target=f"{target} #{position + 1}", reason="no model id"))
                continue
            try:
                items.append(self.model_read(registry, model, target=f"hf:{model}"))
            except RateLimited as error:
                left = len(models[:SEARCH_LIMIT]) - position
                reason = f"{error}; {left} of {len(models)} models not read"
                items.append(Refusal(target=f"hf:{model}", reason=reason))
                break
            except ImportRefused as error:
                items.append(Refusal(target=f"hf:{model}", reason=str(error)))
        return ConditionalRead(items=items, validators=answered)

    def model_read(self, registry: Registry, model: str, *, target: str) -> ToolFacts:
        url = f"{hub_base()}/api/models/{model}"
        fetched = registry_get(registry, url, accept=JSON)
        if fetched is None:
            raise ArtifactMissing(
                f"no such model {model} on the Hugging Face Hub",
                registry=REGISTRY,
                artifact=model,
                checked_url=url,
            )
        data = json_of(fetched)
        if not isinstance(data, dict) or not HUB_ID.match(str(data.get("id") or "")):
            raise ImportRefused(f"{url} answered JSON without a model id")
        card_url = f"{hub_base()}/{data['id']}/raw/main/README.md"
        card = registry_get(
            registry, card_url, accept=CARD_TYPES, max_bytes=settings.VERDICTS_DOCUMENT_MAX_BYTES
        )
        card_text = card_body(text_of(card)) if card else ""
        return self.facts_from(
            data,
            target=target,
            source=fetched.url,
            card_text=card_text,
            card_url=card.url if card else "",
        )

    def facts_from(
        self, data: dict, *, target: str, source: str, card_text: str, card_url: str
    ) -> ToolFacts:
        read_at = read_now()
        model = data["id"]

        def fact(value, url=source):
            return sourced(value, url, read_at)

        pipeline = str(data.get("pipeline_tag") or "").strip()
        paragraph = first_paragraph(card_text)[:DESCRIPTION_MAX]
        if paragraph:
            tagline, description = fact(tagline_of(paragraph), card_url), fact(paragraph, card_url)
        else:
            fallback = f"{pipeline or 'A'} model on the Hugging Face Hub"
            tagline = description = fact(fallback)
        total = parameter_count(data)
        extra = {
            "pipeline_tag": fact(pipeline),
            "parameters": fact(parameters_text(total) if total else ""),
            "downloads": fact(count_text(data.get("downloads"))),
            "likes": fact(count_text(data.get("likes"))),
            "last_modified": fact(date_of(data.get("lastModified"))),
        }
        document = None
        if card_text:
            document = SourceDocument(
                title=f"{model} model card",
                text=card_text[: settings.VERDICTS_DOCUMENT_MAX_CHARS],
                source_url=card_url,
            )
        author = str(data.get("author") or model.split("/")[0]).strip()
        return ToolFacts(
            target=target,
            name=fact(model.split("/")[1]),
            vendor_hint=author[:120],
            tagline=tagline,
            description=description,
            homepage=fact(f"{hub_base()}/{model}"),
            licence=fact(licence_from(data)),
            hub_id=fact(model),
            extra={name: value for name, value in extra.items() if value is not None},
            document=document,
            verified=RegistryCheck(
                registry=REGISTRY, artifact=model, checked_url=source, checked_at=read_at
            ),
        )
