"""Reproduction ``recsys.dual-embeddings``: IN·OUT vs IN·IN vs popularity vs lift on Groceries.

On the Groceries baskets (9,835 baskets, 169 items), each seed draws a random 80/20 split,
hides one item per test basket and ranks every item from the rest of the basket. SGNS
hyper-parameters are tuned on a validation split of the first seed's training baskets
(the paper's task-specific tuning), and the word2vec defaults are reported beside them.
A cold-item experiment holds 20% of the frequent items out of training, places them in
the IN and OUT spaces from their names (MiniLM + ridge regression) and asks how often a
held-out cold item is recovered.

Sizes: ``smoke`` runs every step on the first 3,000 baskets with one seed, a two-point grid
and 3 epochs, with hashed character trigrams of the names in place of MiniLM (seconds);
``quick`` uses all baskets, 2 seeds (1 for cold items), a 3-point
grid and 15 epochs; ``full`` 5 seeds, the 40-point grid and the SGNS defaults.

The report's tables and figure are written by
:mod:`rl_recsys.dual_embeddings.reproduction_report`.

References:
    Kvernadze, Sudyanti, Subedi & Hajiaghayi, Two Is Better Than One: Dual Embeddings for
    Complementary Product Recommendations, arXiv:2211.14982.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from rl_recsys.dual_embeddings.baselines import CooccurrenceLift, Popularity, Scorer
from rl_recsys.dual_embeddings.cold_items import add_cold_items, embed_items, synthetic_baskets
from rl_recsys.dual_embeddings.data import item_counts, load_groceries, split_baskets
from rl_recsys.dual_embeddings.evaluation import DualScorer, evaluate, hit_curve, leave_one_out
from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_recsys.dual_embeddings.reproduction_report import KS, K, _details, _examples, _plot
from rl_recsys.dual_embeddings.sgns import SGNSConfig
from rl_recsys.dual_embeddings.train import train_model
from rl_recsys.dual_embeddings.tuning import tune
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext
from rl_shared.reproduce.stats import mean_std
from rl_shared.runtime import stable_hash

__all__ = ["REPRODUCTION", "run"]

PAPER = (
    "Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations, "
    "arXiv:2211.14982"
)
METHODS = ("in-out tuned", "in-in tuned", "in-out default", "in-in default", "popularity", "lift")


class _Random:
    def __init__(self, n: int, seed: int) -> None:
        self.n, self.rng = n, np.random.default_rng(seed)

    def score(self, context: sp.csr_matrix) -> np.ndarray:
        return self.rng.random((context.shape[0], self.n))


class _TextSimilarity:
    """Cosine of the context's mean text embedding with each item's text embedding."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    def score(self, context: sp.csr_matrix) -> np.ndarray:
        return np.asarray(context @ self.vectors) @ self.vectors.T


class _OnlyAmong:
    """Rank only the candidate items in ``mask`` (others score minus infinity)."""

    def __init__(self, scorer: Any, mask: np.ndarray) -> None:
        self.scorer, self.mask = scorer, mask

    def score(self, context: sp.csr_matrix) -> np.ndarray:
        scores = np.array(self.scorer.score(context), dtype=np.float64)
        scores[:, ~self.mask] = -np.inf
        return scores


def _reorder(model: DualEmbeddings, items: list[str]) -> DualEmbeddings:
    rows = [model.index[i] for i in items]
    return DualEmbeddings(
        items, model.in_vectors[rows], model.out_vectors[rows], model.counts[rows], model.config
    )


def _settings(ctx: RunContext) -> dict[str, Any]:
    smoke = {
        "baskets": 3000,
        "seeds": 1,
        "cold_seeds": 1,
        "name_features": "trigrams",
        "grid": {"ns_exponent": [0.0, 0.75], "negative": [5], "dim": [16]},
        "base": SGNSConfig(epochs=3),
        "default": SGNSConfig(dim=16, epochs=3, negative=5),
        "lift_support": (1, 10),
    }
    quick = {
        "baskets": None,
        "seeds": 2,
        "cold_seeds": 1,
        "name_features": "minilm",
        "grid": {"ns_exponent": [-0.5, 0.0, 0.75], "negative": [5], "dim": [32]},
        "base": SGNSConfig(epochs=15),
        "default": SGNSConfig(epochs=15),
        "lift_support": (1, 10, 50),
    }
    full = {
        "baskets": None,
        "seeds": 5,
        "cold_seeds": 5,
        "name_features": "minilm",
        "grid": {
            "ns_exponent": [-0.5, 0.0, 0.5, 0.75, 1.0],
            "negative": [5, 15],
            "dim": [32, 64],
            "epochs": [10, 30],
        },
        "base": SGNSConfig(),
        "default": SGNSConfig(),
        "lift_support": (1, 5, 10, 20, 50, 100),
    }
    return ctx.pick(smoke=smoke, quick=quick, full=full)


def _fit(baskets: list[list[str]], config: SGNSConfig) -> DualEmbeddings:
    return train_model(baskets, config)


def _mean_std_metrics(
    rows: dict[str, list[dict[str, float]]], prefix: str = ""
) -> dict[str, float]:
    """``{prefix}{method}.{metric}`` (mean) and ``....std`` (sample std) over seeds."""
    metrics: dict[str, float] = {}
    for name, runs in rows.items():
        for key in runs[0]:
            mean, std = mean_std([r[key] for r in runs])
            metrics[f"{prefix}{name}.{key}"] = mean
            metrics[f"{prefix}{name}.{key}.std"] = std
    return metrics


def run(ctx: RunContext) -> Result:
    """Tune, compare the four scorers over seeds, run the cold-item experiment, plot.

    Args:
        ctx: the harness's run context (size, seed, output folder, progress); the sizes are
            in the module docstring.

    Returns:
        hit@k means and standard deviations per scorer, the cold-item metrics, the paper's
        anchors, the report's tables and the hit-curve plot.

    References:
        Kvernadze et al., Two Is Better Than One, arXiv:2211.14982.

    Example:
        A run needs the Groceries baskets and takes seconds even at the smoke size, so the
        example shows how the harness finds it (``rl reproduce recsys.dual-embeddings
        --smoke`` runs it):

        >>> from rl_shared.reproduce.registry import get_reproduction
        >>> get_reproduction("recsys.dual-embeddings").run is run
        True
    """
    cfg = _settings(ctx)
    baskets = load_groceries()
    if cfg["baskets"] is not None:
        baskets = baskets[: cfg["baskets"]]
    seeds = [ctx.seed + i for i in range(cfg["seeds"])]

    # --- task-specific tuning on a validation split of the first seed's training baskets
    train0, _ = split_baskets(baskets, 0.2, "random", seeds[0])
    fit, valid = split_baskets(train0, 0.15, "random", seeds[0] + 1000)
    tuned = tune(fit, valid, cfg["grid"], cfg["base"], seed=seeds[0], progress=ctx.track)
    valid_items = [i for i, _ in item_counts(fit).most_common()]
    valid_q = leave_one_out(valid, valid_items, seed=seeds[0])
    support = max(
        cfg["lift_support"],
        key=lambda s: evaluate(CooccurrenceLift.fit(fit, valid_items, s), valid_q)[f"hit@{K}"],
    )

    # --- the evaluation table over seeds
    rows: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
    curves: dict[str, list[list[float]]] = {m: [] for m in METHODS}
    models: dict[int, DualEmbeddings] = {}
    for seed in ctx.track(seeds, "seeds"):
        train, test = split_baskets(baskets, 0.2, "random", seed)
        best = _fit(train, tuned.best.replace(seed=seed))
        default = _fit(train, cfg["default"].replace(seed=seed))
        default = _reorder(default, best.items)
        models[seed] = best
        queries = leave_one_out(test, best.items, seed=seed)
        scorers: dict[str, Scorer] = {
            "in-out tuned": DualScorer(best, "complementary"),
            "in-in tuned": DualScorer(best, "similar"),
            "in-out default": DualScorer(default, "complementary"),
            "in-in default": DualScorer(default, "similar"),
            "popularity": Popularity.fit(train, best.items),
            "lift": CooccurrenceLift.fit(train, best.items, support),
        }
        for name, scorer in scorers.items():
            rows[name].append(evaluate(scorer, queries, k=K))
            curves[name].append(list(hit_curve(scorer, queries, KS).values()))
        rows.setdefault("random", []).append(evaluate(_Random(len(best), seed), queries, k=K))

    metrics = _mean_std_metrics(rows)

    cold = _cold_experiment(baskets, tuned.best, cfg["cold_seeds"], cfg["name_features"], ctx)
    metrics.update(cold["metrics"])
    metrics["tuned.validation_hit@10"] = tuned.best_score
    metrics["lift.min_support"] = float(support)

    plot = _plot(ctx, curves, cold["metrics"])
    examples = _examples(models[seeds[0]])
    details = _details(metrics, rows, tuned, support, seeds, cold, examples)
    io, ii = metrics[f"in-out tuned.hit@{K}"], metrics[f"in-in tuned.hit@{K}"]
    pop = metrics[f"popularity.hit@{K}"]
    summary = (
        f"Groceries leave-one-out hit@10: IN·OUT {io:.3f} vs IN·IN {ii:.3f} "
        f"(popularity {pop:.3f}, lift {metrics[f'lift.hit@{K}']:.3f}); IN·OUT "
        f"{'beats' if io > ii else 'does NOT beat'} IN·IN for complements; cold items via "
        f"synthetic baskets hit@10 {metrics['cold.in-out synthetic baskets.hit@10']:.3f}, "
        f"{cold['features']}+ridge {metrics['cold.in-out ridge-mapped.hit@10']:.3f} "
        f"(random {metrics['cold.random.hit@10']:.3f})"
    )
    anchors = [
        Anchor(
            f"in-out tuned.hit@{K}",
            "IN·OUT finds complements better than IN·IN",
            f"Kvernadze et al., {PAPER}",
            "paper: Overstock co-purchase data; here Groceries, leave-one-out basket completion",
        ),
        Anchor(
            "cold.in-out synthetic baskets.hit@10",
            "synthetic samples from other modalities extend coverage to cold items",
            f"Kvernadze et al., {PAPER}",
            f"paper: images/text/clicks of a retailer; here {cold['features']} features of "
            "item names only",
        ),
        Anchor(
            "tuned.validation_hit@10",
            "task-specific hyper-parameter tuning matters for SGNS",
            f"Kvernadze et al., {PAPER}; Caselles-Dupré et al., arXiv:1804.04212",
        ),
    ]
    return Result(
        metrics=metrics,
        anchors=anchors,
        seeds=seeds,
        summary=summary,
        details=details,
        plots=[plot],
    )


def _trigram_features(items: list[str], dim: int = 256) -> np.ndarray:
    """Unit bags of hashed character trigrams of the item names (the smoke size's stand-in
    for MiniLM, which takes seconds to import)."""
    out = np.zeros((len(items), dim), dtype=np.float32)
    for row, item in enumerate(items):
        text = f"  {item.strip().lower()} "
        for i in range(len(text) - 2):
            out[row, stable_hash(text[i : i + 3]) % dim] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _name_features(items: list[str], kind: str) -> np.ndarray:
    return embed_items(items) if kind == "minilm" else _trigram_features(items)


def _cold_experiment(
    baskets: list[list[str]], config: SGNSConfig, n_seeds: int, features: str, ctx: RunContext
) -> dict[str, Any]:
    """Hold 20% of frequent items out of training, map them from their names, evaluate."""
    results: dict[str, list[dict[str, float]]] = {}
    cold_coverage: list[float] = []
    for seed in ctx.track([ctx.seed + i for i in range(n_seeds)], "cold items"):
        train, test = split_baskets(baskets, 0.2, "random", seed)
        counts = item_counts(train)
        frequent = sorted(item for item, c in counts.items() if c >= 20)
        rng = np.random.default_rng(seed + 7)
        cold = sorted(rng.choice(frequent, size=len(frequent) // 5, replace=False).tolist())
        cold_set = set(cold)
        warm_train = [[i for i in b if i not in cold_set] for b in train]
        warm = _fit(warm_train, config.replace(seed=seed))
        texts = _name_features(warm.items + cold, features)
        grown = add_cold_items(warm, cold, features=dict(zip(warm.items + cold, texts)))
        oracle = _reorder(_fit(train, config.replace(seed=seed)), grown.items)
        # synthetic baskets: swap each cold item into baskets of its 3 nearest warm names,
        # as many as its neighbours' mean basket count
        n_warm = len(warm)
        warm_counts = item_counts(warm_train)
        neighbours, per_item = {}, {}
        for j, item in enumerate(grown.items[n_warm:]):
            near = np.argsort(-(texts[:n_warm] @ texts[n_warm + j]))[:3]
            neighbours[item] = [grown.items[i] for i in near]
            per_item[item] = int(np.mean([warm_counts[n] for n in neighbours[item]]))
        synthetic = [
            basket
            for item in cold
            for basket in synthetic_baskets(
                warm_train, [item], neighbours, per_item[item], seed=seed
            )
        ]
        augmented = _reorder(_fit(warm_train + synthetic, config.replace(seed=seed)), grown.items)
        queries = leave_one_out(test, grown.items, seed=seed, only=cold_set)
        scorers: dict[str, Scorer] = {
            "in-out ridge-mapped": DualScorer(grown, "complementary"),
            "in-out synthetic baskets": DualScorer(augmented, "complementary"),
            "text similarity": _TextSimilarity(texts),
            "random": _Random(len(grown), seed),
            "in-out oracle": DualScorer(oracle, "complementary"),
        }
        is_cold = np.array([item in cold_set for item in grown.items])
        for name, scorer in scorers.items():
            row = evaluate(scorer, queries, k=K)
            among = evaluate(_OnlyAmong(scorer, is_cold), queries, k=K)
            row["cold_only_hit@10"] = among[f"hit@{K}"]
            row["queries"] = float(len(queries))
            results.setdefault(name, []).append(row)
        # how many cold items ever reach a top-10 list on all test baskets
        all_q = leave_one_out(test, grown.items, seed=seed)
        top = np.argsort(-DualScorer(augmented).score(all_q.context), axis=1)[:, :K]
        shown = {grown.items[i] for i in np.unique(top)}
        cold_coverage.append(len(shown & cold_set) / len(cold_set))
    metrics = _mean_std_metrics(results, "cold.")
    metrics["cold.cold_items_in_top10_share"] = float(np.mean(cold_coverage))
    label = "MiniLM" if features == "minilm" else "character-trigram"
    return {"metrics": metrics, "names": list(results), "n_seeds": n_seeds, "features": label}


REPRODUCTION = Reproduction(
    name="recsys.dual-embeddings",
    summary="IN·OUT vs IN·IN vs popularity vs lift on Groceries baskets, tuning, cold items",
    run=run,
    datasets=("groceries",),
    paper=PAPER,
)
