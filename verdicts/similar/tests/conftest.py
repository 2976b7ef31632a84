"""Fixtures for similar-tools tests: a fast stand-in encoder, and vectors placed by hand."""

import hashlib

import numpy as np
import pytest

from verdicts.similar import services
from verdicts.similar.encoder import MODEL_NAME, model_version
from verdicts.similar.models import ToolEmbedding


def unit(*values: float) -> np.ndarray:
    """A 384-wide unit vector whose first values are these."""
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def embedding_put(tool, vector: np.ndarray) -> ToolEmbedding:
    """Store a chosen vector for a tool, as the installed model's."""
    return ToolEmbedding.objects.update_or_create(
        tool=tool,
        defaults={
            "model_name": MODEL_NAME,
            "model_version": model_version(),
            "text_sha256": "set by a test",
            "vector": vector.astype("<f4").tobytes(),
        },
    )[0]


@pytest.fixture
def fake_encoder(monkeypatch) -> list[list[str]]:
    """Replace the model with a hash of each text; returns the batches it was sent."""
    calls: list[list[str]] = []

    def embed(*, texts):
        calls.append(list(texts))
        seeds = [int.from_bytes(hashlib.sha256(text.encode()).digest()[:4]) for text in texts]
        vectors = np.array([np.random.default_rng(s).normal(size=384) for s in seeds], "f4")
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    monkeypatch.setattr(services, "texts_embed", embed)
    return calls
