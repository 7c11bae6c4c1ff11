"""Reciprocal-rank fusion of several runs.

``score(d) = sum_r w_r / (k + rank_r(d))`` with ranks from 1 in each run.

What it adds: a few lines over BEIR dicts; ranx has the same but is not a dependency here.

References:
    Cormack, Clarke & Buettcher, "Reciprocal Rank Fusion outperforms Condorcet and
    individual Rank Learning Methods", SIGIR 2009.

Example:
    >>> a = {"q": {"d1": 3.0, "d2": 2.0}}
    >>> b = {"q": {"d2": 0.9, "d3": 0.5}}
    >>> list(reciprocal_rank_fusion([a, b])["q"])
    ['d2', 'd1', 'd3']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rl_retrieval.core.run_format import Run, top_k
from rl_shared.errors import BadInput

__all__ = ["reciprocal_rank_fusion"]


def reciprocal_rank_fusion(
    runs: Sequence[Mapping[str, Mapping[str, float]]],
    k: int = 60,
    weights: Sequence[float] | None = None,
    top: int | None = 1000,
) -> Run:
    """Fuse runs by reciprocal rank.

    Args:
        runs: BEIR runs ``{query_id: {doc_id: score}}``.
        k: the rank offset (60 in the paper).
        weights: one weight per run (default all 1).
        top: keep this many documents per query (``None``: all).

    Returns:
        The fused run, each query's documents in descending fused score.

    Example:
        >>> run = reciprocal_rank_fusion([{"q": {"a": 2.0, "b": 1.0}}, {"q": {"b": 5.0}}], k=60)
        >>> list(run["q"])
        ['b', 'a']
    """
    if not runs:
        raise BadInput("reciprocal-rank fusion needs at least one run")
    weights = list(weights) if weights is not None else [1.0] * len(runs)
    if len(weights) != len(runs):
        raise BadInput(f"got {len(weights)} weights for {len(runs)} runs")
    fused: dict[str, dict[str, float]] = {}
    for run, weight in zip(runs, weights):
        for qid, scores in run.items():
            acc = fused.setdefault(qid, {})
            for rank, (did, _) in enumerate(top_k(scores, len(scores)), start=1):
                acc[did] = acc.get(did, 0.0) + weight / (k + rank)
    return {
        qid: dict(top_k(scores, top if top is not None else len(scores)))
        for qid, scores in fused.items()
    }
