"""Similar tools: embedding throughput, and the nearest-neighbour query at 100,000 tools.

Embedding: the starter catalog's texts (name, tagline, description, category and facts), copied
to COPIES times the catalog, through the encoder, in tools a second. The encoder runs the model
as an onnxruntime graph (verdicts/similar/graph.py): the attention-output and up products in
int8, everything else in float32, on every core. Its floor is the bare chain of float32 matrix
products of the model's shapes, batch by batch, without padding, in numpy on its default BLAS
threads: the work a float32 implementation cannot skip, which the int8 products undercut. Goal:
at least 50 tools a second on two cores. The ceiling line says what float32 allows at all: the
model's arithmetic a tool, at the rate this machine's BLAS reaches on one large product of the
feed-forward's shape.

Nearest neighbours: an index of N synthetic published tools (random unit vectors, random
categories and facts) ranked for one tool, in milliseconds; its floor is the bare product of the
same matrix with one vector. Goal: under 50 ms at 100,000 tools.

Both measured in one run; the ratios are what to compare across machines.

Run: .venv/bin/python bench/similar.py [N]
"""

import sys
import time

from _setup import django_start

django_start()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from verdicts.catalog.models import Tool  # noqa: E402
from verdicts.similar import encoder  # noqa: E402
from verdicts.similar.encoder import encoder_get  # noqa: E402
from verdicts.similar.features import Features, tool_text  # noqa: E402
from verdicts.similar.index import Index  # noqa: E402

COPIES = 4
ROUNDS = 3
QUERIES = 20
TOOLS = 100_000


def best_of(rounds: int, run) -> float:
    """The fastest of several runs, in seconds: the least disturbed by other work."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def dense_weights(model) -> tuple[np.ndarray, ...]:
    """Stand-ins shaped as a layer's QKV, attention-output, up and down weights (x @ W)."""
    hidden, wide = model.hidden, model.intermediate
    shapes = ((hidden, 3 * hidden), (hidden, hidden), (hidden, wide), (wide, hidden))
    return tuple(np.ones(shape, np.float32) for shape in shapes)


def matmul_floor(model, texts: list[str]) -> None:
    """Only the model's matrix products, on the batches the encoder makes of these texts: a
    batch's tokens end to end through the dense layers, each text's attention over its own."""
    hidden, heads = model.hidden, model.heads
    qkv_w, out_w, up_w, down_w = dense_weights(model)
    lengths = sorted(len(e.ids) for e in model.tokenizer.encode_batch(texts))
    for start in range(0, len(lengths), encoder.BATCH_SIZE):
        batch = lengths[start : start + encoder.BATCH_SIZE]
        x = np.ones((sum(batch), hidden), np.float32)
        queries = [np.ones((heads, n, hidden // heads), np.float32) for n in batch]
        for _ in range(model.layers):
            x @ qkv_w
            for q in queries:
                (q @ q.transpose(0, 2, 1)) @ q
            x @ out_w
            up = x @ up_w
            up @ down_w


def flops_per_tool(model, tokens: int) -> float:
    """Multiply-adds of one text of `tokens` tokens through every layer, counted as 2 flops."""
    dense = sum(w.size for w in dense_weights(model))
    attention = 2 * tokens * model.hidden  # scores and context, per token
    return 2.0 * tokens * (dense + attention) * model.layers


def blas_rate(model) -> float:
    """Flops a second of one (tokens x hidden) @ (hidden x 4 hidden) product, best of three."""
    up_w = dense_weights(model)[2]
    x = np.ones((encoder.BATCH_SIZE * 160, up_w.shape[0]), np.float32)
    seconds = best_of(ROUNDS, lambda: [x @ up_w for _ in range(20)]) / 20
    return 2.0 * x.shape[0] * up_w.shape[0] * up_w.shape[1] / seconds


def embedding_figures() -> tuple[float, float, float, int]:
    call_command("migrate", verbosity=0)
    call_command("init", "--no-static", verbosity=0)
    texts = [tool_text(tool) for tool in Tool.objects.select_related("category")] * COPIES
    model = encoder_get()
    model.encode(texts[:8])  # warm the threads and caches
    encode = best_of(ROUNDS, lambda: model.encode(texts))
    floor = best_of(ROUNDS, lambda: matmul_floor(model, texts))
    tokens = sum(sum(e.attention_mask) for e in model.tokenizer.encode_batch(texts)) // len(texts)
    ceiling = blas_rate(model) / flops_per_tool(model, tokens)
    return len(texts) / encode, len(texts) / floor, ceiling, tokens


def synthetic_index(size: int, rng: np.random.Generator) -> Index:
    matrix = rng.normal(size=(size, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return Index(
        stamp=(),
        seen=None,
        tool_ids=np.arange(1, size + 1, dtype=np.int64),
        rows={n + 1: n for n in range(size)},
        matrix=matrix,
        category=rng.integers(1, 50, size),
        licence=rng.integers(0, 4, size).astype(np.int8),
        deployment=rng.integers(0, 4, size).astype(np.int8),
        modalities=rng.integers(0, 256, size),
        price=rng.integers(0, 4, size).astype(np.int8),
        tasks=[{"caption": "captioning"} if n % 7 == 0 else {} for n in range(size)],
    )


def neighbour_figures(size: int) -> tuple[float, float]:
    rng = np.random.default_rng(12)
    index = synthetic_index(size, rng)
    own = Features(
        category_id=3, licence=1, deployment=1, modalities=3, price=1, tasks={"caption": "c"}
    )
    vectors = [index.matrix[n] for n in rng.integers(0, size, QUERIES)]

    def rank_all() -> None:
        for n, vector in enumerate(vectors):
            index.rank(vector=vector, own=own, exclude=n + 1, limit=5)

    def product_all() -> None:
        for vector in vectors:
            index.matrix @ vector

    rank_all()
    rank = best_of(ROUNDS, rank_all) / QUERIES
    product = best_of(ROUNDS, product_all) / QUERIES
    return rank * 1000, product * 1000


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else TOOLS
    rate, floor_rate, ceiling, tokens = embedding_figures()
    rank_ms, product_ms = neighbour_figures(size)
    print(f"embedding ({tokens} tokens a tool on average, batches of {encoder.BATCH_SIZE}):")
    print(f"  encoder      {rate:8.1f} tools/s   (goal >= 50)")
    print(f"  matmul floor {floor_rate:8.1f} tools/s")
    print(f"  ratio        {rate / floor_rate:8.2f}x of the floor")
    print(f"  ceiling      {ceiling:8.1f} tools/s   (this machine's peak product rate)")
    print(f"nearest neighbours at {size:,} tools (best of {ROUNDS} x {QUERIES} queries):")
    print(f"  rank         {rank_ms:8.2f} ms   (goal < 50)")
    print(f"  bare product {product_ms:8.2f} ms")
    print(f"  ratio        {rank_ms / product_ms:8.2f}x the product")


if __name__ == "__main__":
    main()
