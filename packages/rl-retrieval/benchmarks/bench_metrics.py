"""Our metrics (ir-measures over pytrec_eval) vs calling pytrec_eval directly: time and values.

Run: python packages/rl-retrieval/benchmarks/bench_metrics.py
"""

from __future__ import annotations

import random
import time

import pytrec_eval

from rl_retrieval.core.metrics import evaluate


def main(queries: int = 2000, docs: int = 20000, depth: int = 100) -> None:
    rng = random.Random(0)
    pool = [f"d{i}" for i in range(docs)]
    qrels = {f"q{q}": {d: rng.randint(1, 3) for d in rng.sample(pool, 10)} for q in range(queries)}
    run = {f"q{q}": {d: rng.random() for d in rng.sample(pool, depth)} for q in range(queries)}
    t0 = time.perf_counter()
    ours = evaluate(qrels, run, ["nDCG@10", "R@100", "AP@100"])
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    per = pytrec_eval.RelevanceEvaluator(
        qrels, {"ndcg_cut.10", "recall.100", "map_cut.100"}
    ).evaluate(run)
    peer = {
        k: sum(v[k] for v in per.values()) / len(per)
        for k in ("ndcg_cut_10", "recall_100", "map_cut_100")
    }
    t_peer = time.perf_counter() - t0
    diff = max(abs(a - b) for a, b in zip(ours.values(), peer.values()))
    print(f"metrics on {queries} queries x {depth} docs")
    print(f"  ours (rl_retrieval.evaluate)  {t_ours:.3f} s")
    print(f"  peer (pytrec_eval)            {t_peer:.3f} s")
    print(f"  ratio peer/ours               {t_peer / t_ours:.2f}x   max |difference| {diff:.2e}")


if __name__ == "__main__":
    main()
