"""Time rl_recsys.dual_embeddings.evaluate (vectorised) against a naive per-query Python loop.

Prints our seconds, the loop's seconds and their ratio on Groceries-sized synthetic data.
"""

from __future__ import annotations

import time

import numpy as np

from rl_recsys.dual_embeddings.baselines import Popularity
from rl_recsys.dual_embeddings.evaluation import evaluate, leave_one_out


def naive(scorer: Popularity, queries, k: int) -> float:
    hits = []
    for row in range(len(queries)):
        context = queries.context[row]
        scores = scorer.score(context)[0].copy()
        scores[context.indices] = -np.inf
        hits.append(queries.targets[row] in np.argsort(-scores, kind="stable")[:k])
    return float(np.mean(hits))


def main() -> None:
    rng = np.random.default_rng(0)
    items = [f"item{i}" for i in range(169)]
    baskets = [list(rng.choice(items, size=rng.integers(2, 8), replace=False)) for _ in range(4000)]
    queries = leave_one_out(baskets, items, seed=0)
    scorer = Popularity(rng.random(len(items)))
    start = time.perf_counter()
    ours = evaluate(scorer, queries, k=10)["hit@10"]
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    peer = naive(scorer, queries, 10)
    t_peer = time.perf_counter() - start
    assert abs(ours - peer) < 1e-9, (ours, peer)
    print(f"ours (vectorised evaluate): {t_ours:.4f} s")
    print(f"peer (per-query loop):      {t_peer:.4f} s")
    print(f"ratio: {t_peer / t_ours:.1f}x faster")


if __name__ == "__main__":
    main()
