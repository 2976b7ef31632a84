"""Writes: embedding tools, and re-embedding them when their text or the model changes."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from verdicts.catalog.models import Tool
from verdicts.common.content_versions import CATALOG, content_changed
from verdicts.similar.encoder import MODEL_NAME, model_version, texts_embed
from verdicts.similar.features import text_sha256, tool_text
from verdicts.similar.models import ToolEmbedding

# Texts sent to the encoder at once: enough to fill its batches, few enough to report progress.
CHUNK = 64


@dataclass(frozen=True)
class EmbeddingRefresh:
    embedded: int
    unchanged: int


def tool_embeddings_refresh(
    *,
    tool_ids: list[int] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> EmbeddingRefresh:
    """Embed the given tools (None: every tool, drafts included) whose text or model changed
    since their last embedding. on_progress is told how many tools each step finished."""
    tools = Tool.objects.select_related("category", "embedding").order_by("pk")
    if tool_ids is not None:
        tools = tools.filter(pk__in=tool_ids)
    version = model_version()
    stale: list[tuple[Tool, str, str]] = []
    unchanged = 0
    for tool in tools:
        text = tool_text(tool)
        sha = text_sha256(text)
        current = getattr(tool, "embedding", None)
        if current and (current.model_name, current.model_version, current.text_sha256) == (
            MODEL_NAME,
            version,
            sha,
        ):
            unchanged += 1
        else:
            stale.append((tool, text, sha))
    if on_progress and unchanged:
        on_progress(unchanged)
    for start in range(0, len(stale), CHUNK):
        chunk = stale[start : start + CHUNK]
        vectors = texts_embed(texts=[text for _, text, _ in chunk])
        embeddings_save(chunk=chunk, vectors=vectors, version=version)
        if on_progress:
            on_progress(len(chunk))
    return EmbeddingRefresh(embedded=len(stale), unchanged=unchanged)


def embeddings_save(
    *, chunk: list[tuple[Tool, str, str]], vectors: np.ndarray, version: str
) -> None:
    # A bulk insert sends no save signals; tool pages show the alternatives these vectors find.
    content_changed(CATALOG)
    ToolEmbedding.objects.bulk_create(
        [
            ToolEmbedding(
                tool=tool,
                model_name=MODEL_NAME,
                model_version=version,
                text_sha256=sha,
                vector=vector.astype("<f4").tobytes(),
            )
            for (tool, _, sha), vector in zip(chunk, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["tool"],
        update_fields=["model_name", "model_version", "text_sha256", "vector", "updated_at"],
    )
