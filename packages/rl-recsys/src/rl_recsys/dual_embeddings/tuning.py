"""Task-specific hyper-parameter search for SGNS, scored by validation complementary hit@k.

The paper stresses that SGNS defaults tuned for words are wrong for baskets; the
negative-sampling exponent in particular decides how much popularity the IN·OUT score
keeps (with ``ns_exponent = 0`` the dot product tracks ``log P(b | a)``, with 1 it tracks
the lift-like PMI). This module searches a small grid (or a seeded random subset of it).

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982. Caselles-Dupré, Lesaint & Royo-Letelier, Word2vec applied to
    Recommendation: Hyperparameters Matter, arXiv:1804.04212.

Example:
    >>> baskets = [["a", "b"], ["c", "d"]] * 30
    >>> result = tune(baskets, baskets, {"ns_exponent": [0.0, 0.75]},
    ...               base=SGNSConfig(dim=4, epochs=2, negative=2))
    >>> len(result.trials)
    2
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rl_recsys.dual_embeddings.evaluation import DualScorer, evaluate, leave_one_out
from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_recsys.dual_embeddings.sgns import SGNSConfig
from rl_shared.errors import BadInput

__all__ = ["DEFAULT_GRID", "TuningResult", "tune"]

DEFAULT_GRID: dict[str, list[Any]] = {
    "ns_exponent": [-0.5, 0.0, 0.5, 0.75, 1.0],
    "negative": [5, 15],
    "dim": [32, 64],
    "epochs": [10, 30],
}


@dataclass
class TuningResult:
    """Every configuration tried with its validation score, and the best one.

    Args:
        best: the configuration with the highest validation score.
        best_score: its score.
        trials: ``(configuration, score)`` for every point tried, in order.
        metric: the metric's name, e.g. ``"hit@10"``.

    Example:
        >>> TuningResult(SGNSConfig(), 0.5).metric
        'hit@10'
    """

    best: SGNSConfig
    best_score: float
    trials: list[tuple[SGNSConfig, float]] = field(default_factory=list)
    metric: str = "hit@10"


def tune(
    train: Sequence[Sequence[str]],
    valid: Sequence[Sequence[str]],
    grid: Mapping[str, Sequence[Any]] | None = None,
    base: SGNSConfig | None = None,
    n_trials: int | None = None,
    k: int = 10,
    seed: int = 0,
    progress: Callable[[Iterable[Any], str], Iterable[Any]] | None = None,
) -> TuningResult:
    """Train one model per grid point on ``train``; score IN·OUT hit@k on ``valid``.

    Args:
        train: training baskets.
        valid: validation baskets (one item hidden per basket).
        grid: field of :class:`SGNSConfig` -> values (default :data:`DEFAULT_GRID`).
        base: configuration the grid points change.
        n_trials: try a seeded random subset of this many grid points (all when ``None``).
        k: cut-off of the hit rate.
        seed: seed of the models, the subset and the hidden items.
        progress: optional wrapper of the trial loop (``tqdm`` or ``ctx.track``).

    References:
        Caselles-Dupré, Lesaint & Royo-Letelier, Word2vec applied to Recommendation:
        Hyperparameters Matter, arXiv:1804.04212.

    Example:
        >>> baskets = [["a", "b"], ["c", "d"]] * 30
        >>> result = tune(baskets, baskets, {"dim": [4]}, SGNSConfig(epochs=1, negative=2))
        >>> result.best.dim, len(result.trials)
        (4, 1)
    """
    grid = dict(grid or DEFAULT_GRID)
    base = (base or SGNSConfig()).replace(seed=seed)
    unknown = set(grid) - set(SGNSConfig.__dataclass_fields__)
    if unknown:
        raise BadInput(f"unknown hyper-parameters {sorted(unknown)}; use SGNSConfig fields")
    points = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    if n_trials is not None and n_trials < len(points):
        chosen = np.random.default_rng(seed).choice(len(points), size=n_trials, replace=False)
        points = [points[i] for i in sorted(chosen)]
    loop: Iterable[dict[str, Any]] = points
    if progress is not None:
        loop = progress(points, "tuning SGNS")
    trials: list[tuple[SGNSConfig, float]] = []
    queries = None
    for point in loop:
        config = base.replace(**point)
        model = DualEmbeddings.fit(train, config)
        if queries is None or queries.items != model.items:
            queries = leave_one_out(valid, model.items, seed=seed)
        trials.append((config, evaluate(DualScorer(model), queries, k=k)[f"hit@{k}"]))
    best, best_score = max(trials, key=lambda t: t[1])
    return TuningResult(best, best_score, trials, f"hit@{k}")
