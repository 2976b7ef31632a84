"""Published tools' vectors and facts as numpy arrays, kept per process, and the rival score.

Each use reads the catalog's content stamp, one primary-key read: every save of a tool, plan or
embedding moves it, in whichever process made the save (the site's page cache relies on it
too). Only when it has moved is the index's own version read (the count and latest change of
the published tools' embeddings, tools and plans: a scan of every embedding), and the index
rebuilt when that differs. With the page cache off nothing is stamped, so every use reads
the version.
"""

import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from verdicts.catalog.models import PricingPlan, Tool, entry_tier_from_plan_kinds
from verdicts.common.content_versions import CATALOG, content_last_changed
from verdicts.similar.encoder import MODEL_NAME, model_version
from verdicts.similar.features import (
    DEPLOYMENT_REASONS,
    LICENCE_REASONS,
    PRICE_REASONS,
    Features,
    features_of,
    modality_reasons,
)
from verdicts.similar.models import ToolEmbedding

# The score's weights add up to 1. MiniLM's cosine on one-line descriptions barely separates
# rivals from strangers (0.3 against 0.26 in our tests), so the description counts for half and
# the editors' own classification, the category, for a fifth; the facts break the ties: what a
# tool does and takes in matter more to a builder than how it is licensed, hosted or paid for.
W_COSINE = 0.50
W_CATEGORY = 0.20
W_TASKS = 0.10
W_MODALITIES = 0.08
W_LICENCE = 0.05
W_DEPLOYMENT = 0.04
W_PRICE = 0.03
# Above any score: same-category tools are listed before the rest.
CATEGORY_FIRST = 10.0
# Shared tasks are scored in Python, for the few tools that could still reach the list.
MAX_TASK_CANDIDATES = 2000
SIMILAR_DESCRIPTION = 0.5


@dataclass(frozen=True)
class Scored:
    tool_id: int
    score: float
    same_category: bool
    reasons: list[str]


@dataclass
class Index:
    stamp: tuple
    # The catalog's content stamp when `stamp` was last found current (None: not read).
    seen: float | None
    tool_ids: np.ndarray
    rows: dict[int, int]
    matrix: np.ndarray
    category: np.ndarray
    licence: np.ndarray
    deployment: np.ndarray
    modalities: np.ndarray
    price: np.ndarray
    tasks: list[dict[str, str]]

    def vector_of(self, tool_id: int) -> np.ndarray | None:
        row = self.rows.get(tool_id)
        return None if row is None else self.matrix[row]

    def rank(self, *, vector: np.ndarray, own: Features, exclude: int, limit: int) -> list[Scored]:
        """The `limit` best-scored tools, same category first, then by score."""
        if limit <= 0 or not len(self.tool_ids):
            return []
        cosine = np.clip(self.matrix @ vector, 0.0, 1.0)
        same_category = self.category == own.category_id
        partial = (
            W_COSINE * cosine
            + W_CATEGORY * same_category
            + W_LICENCE * ((self.licence == own.licence) & (own.licence != 0))
            + W_DEPLOYMENT * ((self.deployment & own.deployment) != 0)
            + W_PRICE * ((self.price == own.price) & (own.price != 0))
            + W_MODALITIES * jaccard_bits(self.modalities, own.modalities)
        )
        # A tool that states fewer facts (one imported from a bare page) is scored over the parts
        # it can earn, so its rivals are not held under the threshold by what it does not say.
        partial = partial / known_weight(own)
        key = partial + CATEGORY_FIRST * same_category
        if exclude in self.rows:
            key[self.rows[exclude]] = -np.inf
        # Only tools within W_TASKS of the limit-th key can still make the list.
        k = min(limit, len(key)) - 1
        kth = np.partition(key, len(key) - 1 - k)[len(key) - 1 - k]
        candidates = np.flatnonzero((key >= kth - W_TASKS / known_weight(own)) & np.isfinite(key))
        if len(candidates) > MAX_TASK_CANDIDATES:
            top = np.argpartition(key[candidates], -MAX_TASK_CANDIDATES)[-MAX_TASK_CANDIDATES:]
            candidates = candidates[top]
        tasks = {row: tasks_overlap(self.tasks[row], own.tasks) for row in candidates.tolist()}
        task_weight = W_TASKS / known_weight(own)
        best = sorted(candidates.tolist(), key=lambda row: -(key[row] + task_weight * tasks[row]))
        return [
            Scored(
                tool_id=int(self.tool_ids[row]),
                score=round(float(partial[row] + W_TASKS * tasks[row] / known_weight(own)), 4),
                same_category=bool(same_category[row]),
                reasons=self.reasons(row, own=own, cosine=float(cosine[row])),
            )
            for row in best[:limit]
        ]

    def reasons(self, row: int, *, own: Features, cosine: float) -> list[str]:
        """Why a tool scored: each part of the score it earned, in words."""
        reasons = []
        if self.category[row] == own.category_id:
            reasons.append("same category")
        shared = sorted(set(self.tasks[row]) & set(own.tasks))
        reasons += [f"both do {own.tasks[task]}" for task in shared]
        reasons += modality_reasons(int(self.modalities[row]) & own.modalities)
        if own.licence and self.licence[row] == own.licence:
            reasons.append(LICENCE_REASONS[own.licence])
        deployment = int(self.deployment[row]) & own.deployment
        reasons += [text for bit, text in DEPLOYMENT_REASONS.items() if deployment & bit]
        if own.price and self.price[row] == own.price:
            reasons.append(PRICE_REASONS[own.price])
        if cosine >= SIMILAR_DESCRIPTION:
            reasons.append("similar description")
        return reasons


def known_weight(own: Features) -> float:
    """The share of the score a tool can earn from what it states (1 when it states it all)."""
    return (
        W_COSINE
        + W_CATEGORY
        + W_TASKS * bool(own.tasks)
        + W_MODALITIES * bool(own.modalities)
        + W_LICENCE * bool(own.licence)
        + W_DEPLOYMENT * bool(own.deployment)
        + W_PRICE * bool(own.price)
    )


def jaccard_bits(masks: np.ndarray, mask: int) -> np.ndarray:
    union = np.bitwise_count(masks | mask)
    return np.where(union > 0, np.bitwise_count(masks & mask) / np.maximum(union, 1), 0.0)


def tasks_overlap(theirs: dict[str, str], ours: dict[str, str]) -> float:
    union = len(theirs.keys() | ours.keys())
    return len(theirs.keys() & ours.keys()) / union if union else 0.0


def embeddings_current():
    """Embeddings of published tools made by the model installed now."""
    return ToolEmbedding.objects.filter(
        tool__status=Tool.Status.PUBLISHED, model_name=MODEL_NAME, model_version=model_version()
    )


def index_stamp() -> tuple:
    """A cheap version of the index's inputs, in one query."""
    found = embeddings_current().aggregate(
        count=Count("id", distinct=True),
        embedded=Max("updated_at"),
        tools=Max("tool__updated_at"),
        plans=Count("tool__plans", distinct=True),
        priced=Max("tool__plans__updated_at"),
    )
    return tuple(found.values())


def index_build(stamp: tuple, *, seen: float | None = None) -> Index:
    """The index's arrays, in two queries; none when the stamp counts no embedding."""
    rows = (
        []
        if not stamp[0]
        else list(
            embeddings_current()
            .order_by("tool_id")
            .values_list(
                "tool_id",
                "vector",
                "tool__category_id",
                "tool__open_weights",
                "tool__licence",
                "tool__facts",
                "tool__entry_tier_override",
            )
        )
    )
    ids = [row[0] for row in rows]
    kinds: dict[int, list[str]] = {tool_id: [] for tool_id in ids}
    if ids:
        plans = PricingPlan.objects.filter(tool_id__in=embeddings_current().values("tool_id"))
        for tool_id, kind in plans.values_list("tool_id", "kind"):
            kinds[tool_id].append(kind)
    features = [
        features_of(
            category_id=category_id,
            open_weights=open_weights,
            licence=licence,
            facts=facts,
            entry_tier=override or entry_tier_from_plan_kinds(kinds[tool_id]),
        )
        for tool_id, _, category_id, open_weights, licence, facts, override in rows
    ]
    matrix = np.frombuffer(b"".join(bytes(row[1]) for row in rows), dtype="<f4")
    return Index(
        stamp=stamp,
        seen=seen,
        tool_ids=np.array(ids, dtype=np.int64),
        rows={tool_id: n for n, tool_id in enumerate(ids)},
        matrix=matrix.reshape(len(rows), -1) if rows else np.zeros((0, 0), np.float32),
        category=np.array([f.category_id for f in features], dtype=np.int64),
        licence=np.array([f.licence for f in features], dtype=np.int8),
        deployment=np.array([f.deployment for f in features], dtype=np.int8),
        modalities=np.array([f.modalities for f in features], dtype=np.int64),
        price=np.array([f.price for f in features], dtype=np.int8),
        tasks=[f.tasks for f in features],
    )


_index: Index | None = None
_index_lock = threading.Lock()


def index_current() -> Index:
    """The process's index: as it is while the catalog's stamp has not moved, else rebuilt
    first when its version says the data changed. One query while nothing changed."""
    global _index
    # Read before the data: whatever is committed by the time the stamp moves is read later.
    seen = content_last_changed(scopes=[CATALOG]) if settings.PAGE_CACHE_ENABLED else None
    index = _index
    if index is not None and seen is not None and index.seen == seen:
        return index
    stamp = index_stamp()
    with _index_lock:
        if _index is None or _index.stamp != stamp:
            _index = index_build(stamp, seen=seen)
        else:
            _index.seen = seen
        return _index
