"""Exact dense top-k: our chunked torch search vs faiss IndexFlatIP on 100k x 384 vectors.

Run: python packages/rl-retrieval/benchmarks/bench_topk.py
"""

from __future__ import annotations

import time

import numpy as np

from rl_retrieval.core.dense import exact_topk, faiss_topk


def _best(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(n: int = 100_000, dim: int = 384, queries: int = 1000, k: int = 100) -> None:
    rng = np.random.default_rng(0)
    docs = rng.standard_normal((n, dim), dtype=np.float32)
    docs /= np.linalg.norm(docs, axis=1, keepdims=True)
    qs = rng.standard_normal((queries, dim), dtype=np.float32)
    _s1, i1 = exact_topk(qs, docs, k)
    _s2, i2 = faiss_topk(qs, docs, k)
    agree = float((i1 == i2).mean())
    t_ours = _best(lambda: exact_topk(qs, docs, k))
    t_peer = _best(lambda: faiss_topk(qs, docs, k))
    print(f"exact top-{k}: {queries} queries over {n} x {dim}")
    print(f"  ours (torch, chunked)   {t_ours:.3f} s   {queries / t_ours:,.0f} queries/s")
    print(f"  peer (faiss FlatIP)     {t_peer:.3f} s   {queries / t_peer:,.0f} queries/s")
    print(
        f"  throughput ratio ours/faiss {t_peer / t_ours:.2f}x   (target >= 0.8)   ids agree {agree:.4f}"
    )


if __name__ == "__main__":
    main()
