"""Report of the reproduction ``recsys.dual-embeddings``: Markdown tables and the hit@k figure.

The details of :mod:`rl_recsys.dual_embeddings.reproduction` (the evaluation table over
seeds, the best tuning trials, the cold-item table and example recommendations) and its
two-panel plot (hit@k curves of every method, hit@10 on held-out cold items).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_shared.plotting import subplots
from rl_shared.reproduce import RunContext

__all__ = ["EXAMPLES", "KS", "K"]

#: the reported list length (hit@K, NDCG@K, coverage@K) and the k of the hit@k curves
K = 10
KS = tuple(range(1, 21))
EXAMPLES = ("whole milk", "bottled beer", "coffee", "frankfurter", "napkins")


def _examples(model: DualEmbeddings) -> str:
    lines = ["| item | similar (IN·IN) | complementary (IN·OUT) |", "|---|---|---|"]
    for item in EXAMPLES:
        if item not in model:
            continue
        sim = ", ".join(i for i, _ in model.similar(item, 5))
        comp = ", ".join(i for i, _ in model.complementary(item, 5))
        lines.append(f"| {item} | {sim} | {comp} |")
    return "\n".join(lines)


def _pm(metrics: dict[str, float], key: str) -> str:
    return f"{metrics[key]:.4f} ± {metrics[key + '.std']:.4f}"


def _details(
    metrics: dict[str, float],
    rows: dict[str, list[dict[str, float]]],
    tuned: Any,
    support: int,
    seeds: list[int],
    cold: dict[str, Any],
    examples: str,
) -> str:
    b = tuned.best
    table = [f"| method | hit@{K} | NDCG@{K} | coverage@{K} |", "|---|---|---|---|"]
    for name in rows:
        cells = " | ".join(_pm(metrics, f"{name}.{m}@{K}") for m in ("hit", "ndcg", "coverage"))
        table.append(f"| {name} | {cells} |")
    cold_table = [
        f"| method | hit@{K} (all items) | NDCG@{K} | hit@{K} among cold items | queries |",
        "|---|---|---|---|---|",
    ]
    for name in cold["names"]:
        cells = " | ".join(
            _pm(metrics, f"cold.{name}.{m}@{K}") for m in ("hit", "ndcg", "cold_only_hit")
        )
        cold_table.append(f"| {name} | {cells} | {metrics[f'cold.{name}.queries']:.0f} |")
    trials = sorted(tuned.trials, key=lambda t: -t[1])[:8]
    trial_rows = [
        "| ns_exponent | negative | dim | epochs | valid hit@10 |",
        "|---|---|---|---|---|",
    ]
    trial_rows += [
        f"| {c.ns_exponent} | {c.negative} | {c.dim} | {c.epochs} | {s:.4f} |" for c, s in trials
    ]
    return "\n".join(
        [
            f"Leave-one-out basket completion on Groceries, random 80/20 split per seed, "
            f"mean ± std over seeds {seeds}. Tuned SGNS: ns_exponent={b.ns_exponent}, "
            f"negative={b.negative}, dim={b.dim}, epochs={b.epochs}; default: word2vec's "
            f"ns_exponent=0.75. Lift uses pairs co-bought in ≥ {support} baskets (tuned).",
            "",
            *table,
            "",
            "### Tuning (best validation trials)",
            "",
            *trial_rows,
            "",
            f"### Cold items ({cold['n_seeds']} seed(s))",
            "",
            "20% of the items bought in ≥ 20 training baskets are removed from training; their "
            f"IN/OUT vectors come either from a ridge map of {cold['features']} name embeddings "
            "learnt on warm items, or from SGNS trained with synthetic baskets (each cold item swapped into "
            "baskets of its 3 nearest warm names). Queries hide a cold item; every item is "
            "ranked (and, in the last column, only cold items). Share of cold items reaching "
            "any top-10 list (synthetic baskets): "
            f"{metrics['cold.cold_items_in_top10_share']:.2f}.",
            "",
            *cold_table,
            "",
            "### Example recommendations (seed 0, tuned)",
            "",
            examples,
        ]
    )


def _plot(ctx: RunContext, curves: dict[str, list[list[float]]], cold: dict[str, float]) -> str:
    fig, (left, right) = subplots(1, 2, figsize=(11, 4))
    for name, runs in curves.items():
        mean = np.mean(runs, axis=0)
        left.plot(KS, mean, marker="o", markersize=3, label=name)
    left.set_xlabel("k (length of the recommendation list)")
    left.set_ylabel("hit@k (hidden item recovered)")
    left.set_title("Groceries basket completion")
    left.legend(fontsize=8)
    names = [k[len("cold.") : -len(".hit@10")] for k in cold if k.endswith(".hit@10")]
    values = [cold[f"cold.{n}.hit@10"] for n in names]
    errors = [cold[f"cold.{n}.hit@10.std"] for n in names]
    right.bar(names, values, yerr=errors, color="tab:blue")
    right.set_ylabel("hit@10 on held-out cold items")
    right.set_title("Cold items")
    right.set_xlabel("method")
    right.tick_params(axis="x", labelrotation=20)
    fig.tight_layout()
    return ctx.save_figure(fig, "hit_at_k.png").name
