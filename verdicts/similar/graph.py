"""all-MiniLM-L6-v2 as an onnxruntime session, built from the installed package's own weights.

Nothing is downloaded or converted elsewhere: the graph is assembled with `onnx.helper` from
`model.safetensors`. The attention-output and up products run in int8 (weights with a scale a
column, activations with a scale a token), after SmoothQuant moves part of each input channel's
range into the weights; everything else runs in float32. docs/similar.md gives the measurements.
"""

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

# Bumped whenever the graph computes anything differently: it is part of the recorded version.
BUILDER_VERSION = 1
ARITHMETIC = f"ort-int8.{BUILDER_VERSION}"
# int8 in QKV or the down product (in any layer) took the cosine below 0.999.
INT8 = frozenset({"out", "up"})
# SmoothQuant's migration strength: a channel's factor is amax**alpha / weight_max**(1 - alpha).
SMOOTH_ALPHA = 0.5
# onnxruntime 1.30 reads IR versions up to 13; onnx 1.23 would write 14.
IR_VERSION = 9
OPSET = 17
# Added to padded tokens' attention scores: exp() of it is 0 in float32.
MASKED = np.float32(-1e4)


class Builder:
    """Accumulates initializers and nodes; each dense product is float32 or int8 by kind."""

    def __init__(self, amax: dict[str, np.ndarray] | None) -> None:
        self.amax = amax
        self.nodes: list[onnx.NodeProto] = []
        self.weights: list[onnx.TensorProto] = []
        self.taps: list[str] = []
        self.count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.weights.append(numpy_helper.from_array(np.asarray(value, order="C"), name))
        return name

    def op(self, kind: str, inputs: list[str], domain: str = "", **attrs: object) -> str:
        self.count += 1
        out = f"{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], domain=domain, **attrs))
        return out

    def dense(self, x: str, *, kind: str, name: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """x @ weight + bias, weight shaped (in, out). Without calibration figures, the inputs
        of the int8 kinds are exposed as outputs (taps) for amax_measure."""
        if kind in INT8 and self.amax is not None:
            return self.dense_int8(x, name=name, weight=weight, bias=bias, amax=self.amax[name])
        if kind in INT8:
            self.taps.append(x)
        product = self.op("MatMul", [x, self.const(name + ".w", weight)])
        return self.op("Add", [product, self.const(name + ".bias", bias)])

    def linear(self, x: str, *, kind: str, name: str, w: dict[str, np.ndarray]) -> str:
        """The checkpoint's Linear layer `name`, whose weight is stored (out, in)."""
        weight, bias = w[name + ".weight"].T, w[name + ".bias"]
        return self.dense(x, kind=kind, name=name, weight=weight, bias=bias)

    def dense_int8(
        self, x: str, *, name: str, weight: np.ndarray, bias: np.ndarray, amax: np.ndarray
    ) -> str:
        # Powers of two: dividing the activations and multiplying the weights is exact.
        factor = amax**SMOOTH_ALPHA / np.maximum(np.abs(weight).max(1), 1e-5) ** (1 - SMOOTH_ALPHA)
        factor = np.exp2(np.round(np.log2(np.maximum(factor, 1e-8)))).astype(np.float32)
        weight = weight * factor[:, None]
        column_scale = np.maximum(np.abs(weight).max(0), 1e-12) / 127
        q = np.round(weight / column_scale).astype(np.int8)
        x = self.op("Mul", [x, self.const(name + ".smooth", 1 / factor)])
        # A scale a token: one outlier token does not coarsen every other token's steps.
        row_max = self.op("ReduceMax", [self.op("Abs", [x])], axes=[1], keepdims=0)
        row_scale = self.op(
            "Max",
            [
                self.op("Mul", [row_max, self.const(name + ".inv", np.array(1 / 127, np.float32))]),
                self.const(name + ".tiny", np.array(1e-12, np.float32)),
            ],
        )
        zero = self.op(
            "ConstantOfShape",
            [self.op("Shape", [row_scale])],
            value=numpy_helper.from_array(np.array([128], np.uint8)),
        )
        quantized = self.op("QuantizeLinear", [x, row_scale, zero], axis=0)
        y = self.op(
            "MatMulIntegerToFloat",
            [
                quantized,
                self.const(name + ".q", q),
                self.const(name + ".one", np.array(1, np.float32)),
                self.const(name + ".scale", column_scale.astype(np.float32)),
                self.const(name + ".zero", np.array(128, np.uint8)),
            ],
            domain="com.microsoft",
        )
        axis = self.const(name + ".axis", np.array([1], np.int64))
        y = self.op("Mul", [y, self.op("Unsqueeze", [row_scale, axis])])
        return self.op("Add", [y, self.const(name + ".bias", bias)])

    def norm(self, x: str, name: str, w: dict[str, np.ndarray], eps: float) -> str:
        scale = self.const(name + ".weight", w[name + ".weight"])
        bias = self.const(name + ".bias", w[name + ".bias"])
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)


def graph_build(*, folder: Path, amax: dict[str, np.ndarray] | None) -> onnx.ModelProto:
    """input_ids and mask_bias (batch, tokens) in, hidden states (batch, tokens, hidden) out.
    Inside, tokens are rows of (batch * tokens, hidden) matrices.

    amax: each int8 product's input range, a value a channel; None builds the float32 graph
    that measures them (its further outputs are those inputs, in the order of the products)."""
    config = json.loads((folder / "config.json").read_text())
    if config["hidden_act"] != "gelu":
        raise ValueError(f"unsupported activation {config['hidden_act']!r}")
    w = load_file(str(folder / "model.safetensors"))
    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    size = hidden // heads
    eps = config["layer_norm_eps"]
    b = Builder(amax)
    x = b.op("Gather", [b.const("word", w["embeddings.word_embeddings.weight"]), "input_ids"])
    # Every token is of type 0, so its embedding is folded into the position table.
    table = (
        w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
    )
    one = b.const("one", np.array(1, np.int64))
    length = b.op("Gather", [b.op("Shape", ["input_ids"]), one])
    positions = b.op("Range", [b.const("zero", np.array(0, np.int64)), length, one])
    x = b.op("Add", [x, b.op("Gather", [b.const("position", table), positions])])
    # Tokens as rows of one matrix between the attention blocks: 2-D products take their bias
    # inside the product (onnxruntime fuses MatMul and Add into Gemm only in 2-D).
    flat_shape = b.const("flat_shape", np.array([-1, hidden], np.int64))
    x = b.norm(b.op("Reshape", [x, flat_shape]), "embeddings.LayerNorm", w, eps)
    mask = b.op("Unsqueeze", ["mask_bias", b.const("heads_axis", np.array([1, 2], np.int64))])
    split = b.const("split", np.array([3, heads, size], np.int64))
    qkv_shape = b.op("Concat", [b.op("Shape", ["input_ids"]), split], axis=0)
    hidden_shape = b.op(
        "Concat",
        [b.op("Shape", ["input_ids"]), b.const("width", np.array([hidden], np.int64))],
        axis=0,
    )
    # The query scaled once here spares a pass over every attention score.
    scale = np.float32(1 / np.sqrt(size))
    for n in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{n}."
        a = p + "attention.self."
        qkv_w = np.concatenate(
            [w[a + "query.weight"].T * scale, w[a + "key.weight"].T, w[a + "value.weight"].T], 1
        )
        qkv_b = np.concatenate(
            [w[a + "query.bias"] * scale, w[a + "key.bias"], w[a + "value.bias"]]
        )
        qkv = b.dense(x, kind="qkv", name=p + "qkv", weight=qkv_w, bias=qkv_b)
        # (batch, tokens, 3, heads, size) -> (3, batch, heads, tokens, size)
        parts = b.op("Transpose", [b.op("Reshape", [qkv, qkv_shape])], perm=[2, 0, 3, 1, 4])
        q, k, v = (
            b.op("Gather", [parts, b.const(f"{p}pick{i}", np.array(i, np.int64))]) for i in range(3)
        )
        scores = b.op("MatMul", [q, b.op("Transpose", [k], perm=[0, 1, 3, 2])])
        weights = b.op("Softmax", [b.op("Add", [scores, mask])], axis=-1)
        context = b.op("Transpose", [b.op("MatMul", [weights, v])], perm=[0, 2, 1, 3])
        context = b.op("Reshape", [context, flat_shape])
        o = p + "attention.output."
        out = b.linear(context, kind="out", name=o + "dense", w=w)
        x = b.norm(b.op("Add", [out, x]), o + "LayerNorm", w, eps)
        up = b.linear(x, kind="up", name=p + "intermediate.dense", w=w)
        # com.microsoft's Gelu is the erf form, as config.json's "gelu" asks.
        up = b.op("Gelu", [up], domain="com.microsoft")
        down = b.linear(up, kind="down", name=p + "output.dense", w=w)
        x = b.norm(b.op("Add", [down, x]), p + "output.LayerNorm", w, eps)
    b.nodes.append(helper.make_node("Reshape", [x, hidden_shape], ["hidden"]))
    dims = ["batch", "tokens"]
    outputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, [*dims, hidden])]
    outputs += [helper.make_tensor_value_info(tap, TensorProto.FLOAT, None) for tap in b.taps]
    graph = helper.make_graph(
        b.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, dims),
            helper.make_tensor_value_info("mask_bias", TensorProto.FLOAT, dims),
        ],
        outputs,
        b.weights,
    )
    return helper.make_model(
        graph,
        ir_version=IR_VERSION,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
    )


def int8_names_list(*, layers: int) -> list[str]:
    """The int8 products' names, in graph order (the order of the calibration graph's taps)."""
    return [
        f"encoder.layer.{n}.{name}"
        for n in range(layers)
        for name in ("attention.output.dense", "intermediate.dense")
    ]


def session_make(*, model: onnx.ModelProto, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    # One graph runs at a time: its operators already use every intra-op thread.
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle threads sleep rather than spin: on a shared machine, spinning cost a quarter more
    # CPU time a tool and gained no speed (docs/similar.md).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def inputs_pad(*, ids: list[list[int]]) -> dict[str, np.ndarray]:
    """The graph's inputs for a few texts: ids padded with 0, and the padding masked out."""
    width = max(len(text) for text in ids)
    tokens = np.zeros((len(ids), width), np.int64)
    mask = np.full((len(ids), width), MASKED, np.float32)
    for row, text in enumerate(ids):
        tokens[row, : len(text)] = text
        mask[row, : len(text)] = 0
    return {"input_ids": tokens, "mask_bias": mask}


def amax_measure(*, folder: Path, ids: list[list[int]]) -> dict[str, np.ndarray]:
    """Each int8 product's largest input magnitude a channel, over these texts in float32.

    One text at a time (no padding to skew the ranges), on one thread, so the figures, and the
    power-of-two factors made from them, are the same on every run."""
    session = session_make(model=graph_build(folder=folder, amax=None), threads=1)
    layers = json.loads((folder / "config.json").read_text())["num_hidden_layers"]
    names = int8_names_list(layers=layers)
    amax = {name: np.zeros(1, np.float32) for name in names}
    for text in ids:
        taps = session.run(None, inputs_pad(ids=[text]))[1:]
        for name, tap in zip(names, taps, strict=True):
            amax[name] = np.maximum(amax[name], np.abs(tap).reshape(-1, tap.shape[-1]).max(0))
    return amax


def session_build(
    *, folder: Path, calibration: list[list[int]], threads: int
) -> ort.InferenceSession:
    """The int8 session, smoothed with ranges measured on the calibration texts' ids."""
    amax = amax_measure(folder=folder, ids=calibration)
    return session_make(model=graph_build(folder=folder, amax=amax), threads=threads)
