"""The numpy encoder on the real all-MiniLM-L6-v2: against known relations, and against an
independent, deliberately plain float64 implementation (one sentence at a time, no padding).
The sentences run from 4 tokens to past the 256 where both cut."""

import json
import math
import threading

import numpy as np
import pytest
from safetensors.numpy import load_file
from threadpoolctl import threadpool_info
from tokenizers import Tokenizer

from verdicts.similar import encoder
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


def test_batched_float32_matches_the_plain_float64_reference():
    batched = texts_embed(texts=SENTENCES)
    assert batched.dtype == np.float32 and batched.shape == (len(SENTENCES), 384)
    for sentence, vector in zip(SENTENCES, batched, strict=True):
        reference = reference_embed(sentence)
        assert float(vector @ reference) / float(np.linalg.norm(vector)) > 0.9999


def test_vectors_are_unit_length_and_do_not_depend_on_the_batch():
    # Texts of 4 to 256 tokens packed end to end in one batch: none may see another's tokens.
    together = texts_embed(texts=SENTENCES)
    for sentence, vector in zip(SENTENCES, together, strict=True):
        alone = texts_embed(texts=[sentence])[0]
        assert np.linalg.norm(alone) == pytest.approx(1, abs=1e-5)
        assert float(alone @ vector) > 0.9999


def test_encoding_leaves_the_process_blas_threads_as_they_were():
    def blas_threads():
        return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]

    before = blas_threads()
    texts_embed(texts=SENTENCES[:2])
    assert blas_threads() == before


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


def test_the_gelu_is_the_erf_form_not_the_tanh_approximation():
    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.tolist()])
    tanh_form = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    assert np.abs(encoder.gelu(x.copy()) - exact).max() < 1e-6
    assert np.abs(tanh_form - exact).max() > 1e-4


def plain_attention(qkv: np.ndarray, heads: int) -> np.ndarray:
    """Softmax attention of one text, in float64 with the usual max shift."""
    q, k, v = (part.reshape(len(qkv), heads, -1).transpose(1, 0, 2) for part in np.split(qkv, 3, 1))
    scores = q.astype(np.float64) @ k.transpose(0, 2, 1)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return (weights @ v).transpose(1, 0, 2).reshape(len(qkv), -1)


@pytest.mark.parametrize("scale", [1, 12, -12], ids=["ordinary", "overflowing", "underflowing"])
def test_attention_is_the_softmax_even_where_unshifted_scores_leave_float32(scale):
    # Scaled by 12, one query and key's scores reach the hundreds: exp overflows unshifted, or
    # every term of a row underflows; those texts must take the shifted path, the others not.
    model = encoder_get()
    rng = np.random.default_rng(3)
    lengths = [5, 9]
    qkv = rng.normal(size=(sum(lengths), 3 * model.hidden)).astype(np.float32)
    queries, keys = qkv[:5, : model.hidden], qkv[:5, model.hidden : 2 * model.hidden]
    if scale < 0:  # every query against every key strongly negative
        queries[:], keys[:] = np.abs(queries), -np.abs(keys)
    queries *= np.float32(abs(scale))
    keys *= np.float32(abs(scale))
    out = np.empty((sum(lengths), model.hidden), np.float32)
    model.attention(qkv, lengths, out=out)
    assert np.isfinite(out).all()
    start = 0
    for length in lengths:
        expected = plain_attention(qkv[start : start + length], model.heads)
        assert np.abs(out[start : start + length] - expected).max() < 1e-4
        start += length
