"""Reads: a tool's nearest published alternatives, and its closest rival."""

from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from verdicts.catalog.models import Category, Tool
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
    # By key alone, with the status checked here: with the status in the query, SQLite's
    # planner (no statistics) walked the published-tools index, 17 ms at 100,000 tools.
    tools = Tool.objects.select_related("category").in_bulk([scored.tool_id for scored in ranked])
    return [
        Alternative(tool=tools[scored.tool_id], score=scored.score, reasons=scored.reasons)
        for scored in ranked
        if scored.tool_id in tools and tools[scored.tool_id].is_published
    ]


def tool_closest_rival(*, tool: Tool) -> Alternative | None:
    """The best-scored published alternative, if it reaches VERDICTS_RIVAL_THRESHOLD."""
    alternatives = tool_alternatives(tool=tool, limit=RIVAL_POOL)
    best = max(alternatives, key=lambda alternative: alternative.score, default=None)
    if best is None or best.score < settings.VERDICTS_RIVAL_THRESHOLD:
        return None
    return best


# A category is guessed from this many nearest published tools, when this share of them agree.
GUESS_NEIGHBOURS = 3
GUESS_AGREEMENT = 2 / 3


@dataclass(frozen=True)
class CategoryGuess:
    category: Category
    neighbours: list[str]  # the slugs of the nearest tools that share it

    @property
    def note(self) -> str:
        return (
            f"category {self.category.slug} from its nearest tools ({', '.join(self.neighbours)})"
        )


def tool_category_guess(*, tool: Tool) -> CategoryGuess | None:
    """The category most of a tool's nearest published tools share, for a tool imported without
    one (a web page or a registry names none); None when they do not agree or it has no vector.

    Across categories the rival score cannot reach the threshold, so an imported tool would
    never find its rival without this.
    """
    nearest = tool_alternatives(tool=tool, limit=GUESS_NEIGHBOURS)
    votes = Counter(alternative.tool.category_id for alternative in nearest)
    if not votes:
        return None
    category_id, count = votes.most_common(1)[0]
    if count < GUESS_AGREEMENT * GUESS_NEIGHBOURS:
        return None
    sharing = [alt.tool for alt in nearest if alt.tool.category_id == category_id]
    return CategoryGuess(category=sharing[0].category, neighbours=[t.slug for t in sharing])
