"""Time BiGRU + low-rank attention pooling against BiGRU + multi-head self-attention.

Prints, for sequence lengths 32 … 1024, inference sentences per second of (a) the pooling
layer alone (:class:`rl_shared.attention.LowRankMultiheadAttention`, ours, vs
``torch.nn.MultiheadAttention`` + mean pooling, the peer) and (b) the whole classifier,
with their ratio, plus the attention parameter counts. One torch thread; best of 3 runs.

    uv run python packages/rl-text/benchmarks/bench_lowrank_classifier.py
"""

from __future__ import annotations

import time

import torch

from rl_shared.attention import LowRankMultiheadAttention
from rl_shared.runtime import seed_everything, threads
from rl_text.lowrank_attention import GRUAttentionClassifier, count_parameters

D, HEADS, BATCH = 128, 4, 32


def best_seconds(fn, repeats: int = 3) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with threads(1), torch.no_grad():
        _bench()


def _bench() -> None:
    seed_everything(0)
    low = LowRankMultiheadAttention(D, num_heads=HEADS, rank=32).eval()
    mha = torch.nn.MultiheadAttention(D, HEADS, batch_first=True).eval()
    print(
        f"attention parameters: low-rank {count_parameters(low):,}  MHA {count_parameters(mha):,}"
    )
    print(f"{'n':>6} {'pool ours/s':>12} {'pool MHA/s':>12} {'ratio':>6}  "
          f"{'clf ours/s':>11} {'clf MHA/s':>11} {'ratio':>6}")  # fmt: skip
    clf = {
        kind: GRUAttentionClassifier(1000, 64, D // 2, 3, attention=kind, num_heads=HEADS).eval()
        for kind in ("lowrank", "mha")
    }
    for n in (32, 128, 512, 1024):
        x = torch.randn(BATCH, n, D)
        t_low = best_seconds(lambda x=x: low(x))
        t_mha = best_seconds(lambda x=x: mha(x, x, x, need_weights=False)[0].mean(1))
        ids = torch.randint(1, 1000, (BATCH, n))
        pad = torch.zeros(BATCH, n, dtype=torch.bool)
        c_low = best_seconds(lambda i=ids, p=pad: clf["lowrank"](i, p), repeats=2)
        c_mha = best_seconds(lambda i=ids, p=pad: clf["mha"](i, p), repeats=2)
        print(
            f"{n:>6} {BATCH / t_low:>12.0f} {BATCH / t_mha:>12.0f} {t_mha / t_low:>6.1f}  "
            f"{BATCH / c_low:>11.0f} {BATCH / c_mha:>11.0f} {c_mha / c_low:>6.2f}"
        )


if __name__ == "__main__":
    main()
