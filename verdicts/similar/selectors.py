"""Reads: a tool's nearest published alternatives, and its closest rival."""

from dataclasses import dataclass

import numpy as np
from django.conf import settings

from verdicts.catalog.models import Tool
from verdicts.similar.encoder import MODEL_NAME, model_version
from verdicts.similar.features import tool_features
from verdicts.similar.index import index_current
from verdicts.similar.models import ToolEmbedding

# How many alternatives the rival is chosen from: the best score may sit outside the category.
RIVAL_POOL = 5


@dataclass(frozen=True)
class Alternative:
    tool: Tool
    score: float
    reasons: list[str]


def tool_vector(*, tool: Tool, index) -> np.ndarray | None:
    """The tool's vector: from the index when it is published, else its own row (drafts)."""
    vector = index.vector_of(tool.pk)
    if vector is not None:
        return vector
    embedding = ToolEmbedding.objects.filter(
        tool=tool, model_name=MODEL_NAME, model_version=model_version()
    ).first()
    return None if embedding is None else embedding.array


def tool_alternatives(*, tool: Tool, limit: int = 5) -> list[Alternative]:
    """The nearest published tools other than this one, same category first, each with its
    score and why; none while the tool has no embedding. Two queries once the index is warm,
    with the tool's plans prefetched (a draft's vector adds one, a rebuild two)."""
    index = index_current()
    vector = tool_vector(tool=tool, index=index)
    if vector is None:
        return []
    ranked = index.rank(vector=vector, own=tool_features(tool), exclude=tool.pk, limit=limit)
    if not ranked:
        return []
    tools = (
        Tool.objects.published()
        .select_related("category")
        .in_bulk([scored.tool_id for scored in ranked])
    )
    return [
        Alternative(tool=tools[scored.tool_id], score=scored.score, reasons=scored.reasons)
        for scored in ranked
        if scored.tool_id in tools
    ]


def tool_closest_rival(*, tool: Tool) -> Alternative | None:
    """The best-scored published alternative, if it reaches VERDICTS_RIVAL_THRESHOLD."""
    alternatives = tool_alternatives(tool=tool, limit=RIVAL_POOL)
    best = max(alternatives, key=lambda alternative: alternative.score, default=None)
    if best is None or best.score < settings.VERDICTS_RIVAL_THRESHOLD:
        return None
    return best
