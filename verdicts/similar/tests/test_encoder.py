"""The onnxruntime encoder on the real all-MiniLM-L6-v2: against known relations, and against an
independent, deliberately plain float64 implementation in numpy (one sentence at a time, no
padding). The sentences run from 4 tokens to past the 256 where both cut."""

import json
import math
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from verdicts.similar import encoder, graph
from verdicts.similar.calibration import CALIBRATION_TEXTS
from verdicts.similar.encoder import encoder_get, model_dir, texts_embed

SENTENCES = [
    "Vision.",
    "An AI pair programmer that autocompletes code in your editor.",
    "Transcribes speech to text in real time over a WebSocket, with custom vocabulary and "
    "speaker labels, for call centres and meeting notes.",
    "A command-line coding agent that reads your repository, edits files across it, runs the "
    "tests and commits each change to git, working with hosted or local models alike. " * 8,
]


ERF_GRID = np.linspace(-6, 6, 200_001)
ERF_VALUES = np.array([math.erf(value) for value in ERF_GRID])


def reference_embed(sentence: str) -> np.ndarray:
    """BERT by the book, in float64: no batching, no padding, math.erf's GELU."""
    folder = model_dir()
    config = json.loads((folder / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    ids = tokenizer.encode(sentence).ids
    w = {
        name: value.astype(np.float64)
        for name, value in load_file(str(folder / "model.safetensors")).items()
    }
    eps = config["layer_norm_eps"]
    heads = config["num_attention_heads"]

    def norm(x, prefix):
        mean = x.mean(-1, keepdims=True)
        var = x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * w[prefix + ".weight"] + w[prefix + ".bias"]

    def dense(x, prefix):
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    def gelu(x):
        # math.erf on a fine grid, interpolated (error under 1e-9): math.erf on every value
        # would take seconds, and the encoder's own erf is what is under test.
        return 0.5 * x * (1 + np.interp(x / math.sqrt(2), ERF_GRID, ERF_VALUES))

    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][: len(ids)]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = norm(x, "embeddings.LayerNorm")
    for n in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{n}."
        q, k, v = (dense(x, p + f"attention.self.{name}") for name in ("query", "key", "value"))
        size = x.shape[1] // heads
        context = np.zeros_like(x)
        for h in range(heads):
            part = slice(h * size, (h + 1) * size)
            scores = q[:, part] @ k[:, part].T / math.sqrt(size)
            scores = np.exp(scores - scores.max(1, keepdims=True))
            context[:, part] = (scores / scores.sum(1, keepdims=True)) @ v[:, part]
        x = norm(x + dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        up = gelu(dense(x, p + "intermediate.dense"))
        x = norm(x + dense(up, p + "output.dense"), p + "output.LayerNorm")
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def test_batched_int8_matches_the_plain_float64_reference():
    # The threshold: int8 products measured 0.9995 and above here (docs/similar.md).
    batched = texts_embed(texts=SENTENCES)
    assert batched.dtype == np.float32 and batched.shape == (len(SENTENCES), 384)
    for sentence, vector in zip(SENTENCES, batched, strict=True):
        reference = reference_embed(sentence)
        assert float(vector @ reference) / float(np.linalg.norm(vector)) > 0.999


def test_vectors_are_unit_length_and_do_not_depend_on_the_batch():
    # Texts of 4 to 256 tokens padded into one batch: none may see another's tokens or padding,
    # and each token's int8 scale is its own.
    together = texts_embed(texts=SENTENCES)
    for sentence, vector in zip(SENTENCES, together, strict=True):
        alone = texts_embed(texts=[sentence])[0]
        assert np.linalg.norm(alone) == pytest.approx(1, abs=1e-5)
        assert float(alone @ vector) > 0.9999


def test_matches_the_published_sentence_transformers_figure():
    # The model card's own example: sentence-transformers prints 0.7553 for this pair.
    a, b = texts_embed(texts=["A man is eating food.", "A man is eating a piece of bread."])
    assert float(a @ b) == pytest.approx(0.7553, abs=1e-3)


def test_two_code_assistants_are_closer_than_a_code_assistant_and_a_speech_model():
    copilot, cursor, whisper = texts_embed(
        texts=[
            "GitHub Copilot: an AI pair programmer that suggests code in your editor.",
            "Cursor: an AI code editor that predicts your next edit and refactors code.",
            "Whisper: a speech recognition model that transcribes audio into text.",
        ]
    )
    assert float(copilot @ cursor) > float(copilot @ whisper) + 0.1


def test_texts_are_cut_at_the_models_256_tokens():
    long = "word " * 1000
    assert len(encoder_get().tokenizer.encode(long).ids) == 256
    assert np.isfinite(texts_embed(texts=[long])).all()


def test_the_model_is_read_once_whichever_threads_ask(monkeypatch):
    monkeypatch.setattr(encoder, "_model", None)
    reads = []
    real = encoder.MiniLM

    def counting(folder):
        reads.append(folder)
        return real(folder)

    monkeypatch.setattr(encoder, "MiniLM", counting)
    found = []
    threads = [threading.Thread(target=lambda: found.append(encoder_get())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1 and all(model is found[0] for model in found)


def test_the_session_uses_every_core_up_to_the_cap():
    options = encoder_get().session.get_session_options()
    assert options.intra_op_num_threads == min(os.cpu_count() or 1, encoder.MAX_THREADS)
    assert options.inter_op_num_threads == 1


def test_the_graph_is_built_the_same_each_time():
    # The smoothing factors come from the calibration texts, measured on one thread.
    model = encoder_get()
    ids = model.ids(CALIBRATION_TEXTS)
    first = graph.amax_measure(folder=model_dir(), ids=ids)
    second = graph.amax_measure(folder=model_dir(), ids=ids)
    assert first.keys() == second.keys()
    assert all(np.array_equal(first[name], second[name]) for name in first)
    built = [graph.graph_build(folder=model_dir(), amax=first).SerializeToString() for _ in "ab"]
    assert built[0] == built[1]


def test_only_the_attention_output_and_up_products_are_int8():
    model = encoder_get()
    amax = graph.amax_measure(folder=model_dir(), ids=model.ids(CALIBRATION_TEXTS[:2]))
    built = graph.graph_build(folder=model_dir(), amax=amax)
    int8 = [node for node in built.graph.node if node.op_type == "MatMulIntegerToFloat"]
    assert len(int8) == 2 * model.layers
    assert {node.input[1].rsplit(".", 2)[0].split(".", 3)[3] for node in int8} == {
        "attention.output",
        "intermediate",
    }


def test_calibration_texts_are_not_the_starter_catalogs():
    # The catalog's accuracy is a held-out check only if its texts took no part.
    starter = Path(encoder.__file__).parents[1] / "catalog" / "starter"
    catalog = "\n".join(path.read_text() for path in starter.rglob("*.toml"))
    firsts = [text.split("\n")[0] for text in CALIBRATION_TEXTS]
    assert "Aider" in catalog and not any(first in catalog for first in firsts)
