"""Leave-one-out basket completion: hide one item of each held-out basket, rank all items.

For every test basket with at least two known items one item is hidden (drawn with a
seed) and every catalogue item is ranked by a scorer from the rest of the basket; the
context items themselves are never recommended. Ties are broken at random *in
expectation* (a hidden item tied with ``e - 1`` others counts ``1/e`` at each tied rank),
so a constant scorer gets chance-level numbers rather than a lucky order.

Metrics: hit@k (the hidden item is in the top k), NDCG@k (one relevant item:
``1 / log2(rank + 1)``) and coverage@k (share of the catalogue that appears in at least
one top-k list).

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982.

Example:
    >>> import numpy as np
    >>> from rl_recsys.dual_embeddings import Popularity
    >>> queries = leave_one_out([["a", "b"], ["a", "c"]], ["a", "b", "c"], seed=0)
    >>> out = evaluate(Popularity(np.array([3.0, 2.0, 1.0])), queries, k=1)
    >>> sorted(out)
    ['coverage@1', 'hit@1', 'ndcg@1']
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from rl_recsys.dual_embeddings.baselines import Scorer
from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_shared.errors import BadInput

__all__ = ["DualScorer", "Queries", "evaluate", "hit_curve", "leave_one_out", "rank_target"]


@dataclass
class Queries:
    """Held-out queries: context rows (mean of context items) and the hidden item.

    Args:
        context: each row averages the query's context items.
        targets: the hidden item's column per query.
        items: the catalogue, in column order.

    Shapes:
        context: ``(n_queries, n_items)`` sparse; targets: ``(n_queries,)``.

    Example:
        >>> q = leave_one_out([["a", "b"]], ["a", "b"], seed=0)
        >>> len(q), q.context.shape
        (1, (1, 2))
    """

    context: sp.csr_matrix
    targets: np.ndarray
    items: list[str]

    def __len__(self) -> int:
        return len(self.targets)


def leave_one_out(
    baskets: Sequence[Sequence[str]],
    items: Sequence[str],
    seed: int = 0,
    only: Collection[str] | None = None,
) -> Queries:
    """Hide one random known item of every basket holding at least two known items.

    Args:
        baskets: held-out baskets.
        items: the catalogue, in the scorers' order; other items are dropped.
        seed: seed of the hidden-item draw.
        only: hide only items from this set (e.g. cold items); baskets without one are skipped.

    Shapes:
        ``-> Queries`` with ``context (n_queries, len(items))``, ``targets (n_queries,)``.

    References:
        The leave-one-out basket-completion protocol of Two Is Better Than One: Dual
        Embeddings for Complementary Product Recommendations, arXiv:2211.14982.

    Example:
        >>> q = leave_one_out([["a", "b", "c"], ["a"]], ["a", "b", "c"], seed=0, only={"c"})
        >>> q.targets.tolist(), q.context.toarray().tolist()
        ([2], [[0.5, 0.5, 0.0]])
    """
    index = {item: i for i, item in enumerate(items)}
    allowed = None if only is None else {index[i] for i in only if i in index}
    rng = np.random.default_rng(seed)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    targets: list[int] = []
    for basket in baskets:
        known = list(dict.fromkeys(index[i] for i in basket if i in index))
        if len(known) < 2:
            continue
        choices = [j for j, i in enumerate(known) if allowed is None or i in allowed]
        if not choices:
            continue
        hidden = choices[int(rng.integers(len(choices)))]
        rest = known[:hidden] + known[hidden + 1 :]
        r = len(targets)
        rows += [r] * len(rest)
        cols += rest
        vals += [1.0 / len(rest)] * len(rest)
        targets.append(known[hidden])
    if not targets:
        raise BadInput("no test basket has two known items; use more or larger baskets")
    context = sp.csr_matrix((vals, (rows, cols)), shape=(len(targets), len(items)))
    return Queries(context, np.asarray(targets, dtype=np.int64), list(items))


class DualScorer:
    """Score items by cosine of the context's mean unit IN vector with their OUT or IN vectors.

    Args:
        model: the dual embeddings, whose item order must match the queries'.
        mode: ``"complementary"`` (IN·OUT) or ``"similar"`` (IN·IN).

    Shapes:
        ``score``: context ``(n_queries, n_items)`` sparse -> ``(n_queries, n_items)``.

    References:
        Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
        arXiv:2211.14982.

    Example:
        >>> emb = DualEmbeddings(["a", "b"], np.eye(2), np.eye(2)[::-1])
        >>> DualScorer(emb).score(sp.csr_matrix([[1.0, 0.0]])).tolist()
        [[0.0, 1.0]]
    """

    def __init__(self, model: DualEmbeddings, mode: str = "complementary") -> None:
        if mode not in ("complementary", "similar"):
            raise BadInput(f"mode must be 'complementary' or 'similar', got {mode!r}")
        self.model, self.mode = model, mode

    def score(self, context: sp.csr_matrix) -> np.ndarray:
        """Cosine of each context's mean unit IN vector with every OUT (or IN) vector."""
        query = np.asarray(context @ self.model._unit_in)
        target = self.model._unit_out if self.mode == "complementary" else self.model._unit_in
        return query @ target.T


def rank_target(scores: np.ndarray, queries: Queries) -> tuple[np.ndarray, np.ndarray]:
    """Items strictly ahead of the hidden one and items tied with it (itself included).

    Context items are excluded from the ranking.

    Args:
        scores: every item's score per query.
        queries: the queries the scores are for.

    Shapes:
        scores: ``(n, n_items)`` -> ``(n,), (n,)``.

    Example:
        >>> q = leave_one_out([["a", "b"]], ["a", "b", "c"], seed=0)
        >>> ahead, tied = rank_target(np.array([[0.0, 0.0, 0.0]]), q)
        >>> ahead.tolist(), tied.tolist()
        ([0], [2])
    """
    scores = np.array(scores, dtype=np.float64)
    coo = queries.context.tocoo()
    scores[coo.row, coo.col] = -np.inf
    target = scores[np.arange(len(queries)), queries.targets][:, None]
    ahead = (scores > target).sum(axis=1)
    tied = (scores == target).sum(axis=1)
    return ahead, np.maximum(tied, 1)


def _expected(ahead: np.ndarray, tied: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    hit = np.clip(k - ahead, 0, tied) / tied
    gain = np.zeros(len(ahead))
    for j in range(k):
        pos = ahead + j  # 0-based position if the target is j-th among its ties
        gain += np.where((j < tied) & (pos < k), 1.0 / np.log2(pos + 2.0), 0.0)
    return hit, gain / tied


def evaluate(
    scorer: Scorer, queries: Queries, k: int = 10, batch_size: int = 2048
) -> dict[str, float]:
    """hit@k, NDCG@k and coverage@k of ``scorer`` on ``queries`` (ties in expectation).

    Args:
        scorer: anything with ``score(context) -> (n_queries, n_items)``.
        queries: from :func:`leave_one_out`.
        k: the cut-off.
        batch_size: queries scored at once.

    Shapes:
        scorer output: ``(batch_size, n_items)`` per batch.

    References:
        Järvelin & Kekäläinen, Cumulated Gain-based Evaluation of IR Techniques, TOIS 2002
        (NDCG).

    Example:
        >>> from rl_recsys.dual_embeddings.baselines import Popularity
        >>> q = leave_one_out([["a", "b"], ["a", "c"]], ["a", "b", "c"], seed=0)
        >>> evaluate(Popularity(np.array([3.0, 2.0, 1.0])), q, k=1)["coverage@1"]
        0.3333333333333333
    """
    hits, gains, shown = [], [], np.zeros(len(queries.items), dtype=bool)
    for start in range(0, len(queries), batch_size):
        part = Queries(
            queries.context[start : start + batch_size],
            queries.targets[start : start + batch_size],
            queries.items,
        )
        scores = scorer.score(part.context)
        ahead, tied = rank_target(scores, part)
        hit, gain = _expected(ahead, tied, k)
        hits.append(hit)
        gains.append(gain)
        masked = np.array(scores, dtype=np.float64)
        coo = part.context.tocoo()
        masked[coo.row, coo.col] = -np.inf
        kk = min(k, masked.shape[1] - 1)
        top = np.argpartition(-masked, kk - 1, axis=1)[:, :kk]
        shown[np.unique(top)] = True
    return {
        f"hit@{k}": float(np.concatenate(hits).mean()),
        f"ndcg@{k}": float(np.concatenate(gains).mean()),
        f"coverage@{k}": float(shown.mean()),
    }


def hit_curve(scorer: Scorer, queries: Queries, ks: Sequence[int]) -> dict[int, float]:
    """hit@k for several k from one scoring pass.

    Args:
        scorer: anything with ``score(context) -> (n_queries, n_items)``.
        queries: from :func:`leave_one_out`.
        ks: the cut-offs.

    Example:
        >>> from rl_recsys.dual_embeddings.baselines import Popularity
        >>> q = leave_one_out([["a", "b"], ["a", "c"]], ["a", "b", "c"], seed=0)
        >>> sorted(hit_curve(Popularity(np.array([3.0, 2.0, 1.0])), q, [1, 2]))
        [1, 2]
    """
    ahead, tied = rank_target(scorer.score(queries.context), queries)
    return {int(k): float(_expected(ahead, tied, int(k))[0].mean()) for k in ks}
