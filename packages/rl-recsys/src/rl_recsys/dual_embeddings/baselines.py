"""Baseline basket-completion scorers: popularity and item-item co-occurrence lift.

Every scorer maps a batch of basket contexts to a score for every catalogue item. The
context is a sparse ``(n_queries, n_items)`` matrix whose rows average the context items
(each row sums to 1); scorers return a dense ``(n_queries, n_items)`` array.

References:
    Agrawal, Imieliński & Swami, Mining Association Rules between Sets of Items in Large
    Databases (SIGMOD 1993) for lift; the popularity and co-occurrence baselines of
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982.

Example:
    >>> scorer = CooccurrenceLift.fit([["a", "b"], ["a", "b"], ["c"]], ["a", "b", "c"])
    >>> import scipy.sparse as sp
    >>> scorer.score(sp.csr_matrix([[1.0, 0.0, 0.0]])).round(2).tolist()
    [[0.0, 1.5, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import scipy.sparse as sp

__all__ = ["CooccurrenceLift", "Popularity", "Scorer", "incidence_matrix"]


class Scorer(Protocol):
    """Anything with ``score(context) -> (n_queries, n_items)``.

    Shapes:
        context: sparse ``(n_queries, n_items)``, rows averaging the context items ->
        dense ``(n_queries, n_items)`` scores.

    Example:
        >>> scorer: Scorer = Popularity(np.array([1.0, 2.0]))
        >>> scorer.score(sp.csr_matrix([[1.0, 0.0]])).shape
        (1, 2)
    """

    def score(self, context: sp.csr_matrix) -> np.ndarray: ...


def incidence_matrix(baskets: Sequence[Sequence[str]], items: Sequence[str]) -> sp.csr_matrix:
    """Binary basket-by-item matrix over ``items`` (unknown items are ignored).

    Args:
        baskets: lists of item names.
        items: the catalogue, one column each.

    Shapes:
        ``-> (n_baskets, n_items)``.

    Example:
        >>> incidence_matrix([["a", "a", "zz"], ["b"]], ["a", "b"]).toarray().tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    index = {item: i for i, item in enumerate(items)}
    rows, cols = [], []
    for r, basket in enumerate(baskets):
        for item in set(basket):
            if item in index:
                rows.append(r)
                cols.append(index[item])
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(baskets), len(items)))


class Popularity:
    """Score every item by how many training baskets hold it, whatever the context.

    Args:
        counts: training basket count per item.

    Shapes:
        counts: ``(n_items,)``; ``score``: ``(n_queries, n_items)`` -> ``(n_queries, n_items)``.

    References:
        The popularity baseline of Two Is Better Than One: Dual Embeddings for Complementary
        Product Recommendations, arXiv:2211.14982.

    Example:
        >>> pop = Popularity.fit([["a", "b"], ["a"]], ["a", "b"])
        >>> pop.score(sp.csr_matrix([[0.0, 1.0]])).tolist()
        [[2.0, 1.0]]
    """

    def __init__(self, counts: np.ndarray) -> None:
        self.counts = np.asarray(counts, dtype=np.float64)

    @classmethod
    def fit(cls, baskets: Sequence[Sequence[str]], items: Sequence[str]) -> Popularity:
        """Count the baskets each of ``items`` appears in."""
        return cls(np.asarray(incidence_matrix(baskets, items).sum(axis=0)).ravel())

    def score(self, context: sp.csr_matrix) -> np.ndarray:
        return np.broadcast_to(self.counts, (context.shape[0], len(self.counts))).copy()


class CooccurrenceLift:
    """Score items by their mean association-rule lift with the context items.

    ``lift(a, b) = P(a, b) / (P(a) P(b))`` over training baskets; an item's score is the
    context-weighted mean of its lift with each context item (0 with itself).

    Args:
        lift: item-by-item lift matrix.

    Shapes:
        lift: ``(n_items, n_items)``; ``score``: ``(n_queries, n_items)`` -> ``(n_queries, n_items)``.

    References:
        Agrawal, Imieliński & Swami, Mining Association Rules between Sets of Items in Large
        Databases, SIGMOD 1993.

    Example:
        >>> lift = CooccurrenceLift.fit([["a", "b"], ["a", "b"], ["c"]], ["a", "b", "c"])
        >>> lift.lift.round(2)[0].tolist()
        [0.0, 1.5, 0.0]
    """

    def __init__(self, lift: np.ndarray) -> None:
        self.lift = np.asarray(lift, dtype=np.float64)

    @classmethod
    def fit(
        cls, baskets: Sequence[Sequence[str]], items: Sequence[str], min_support: int = 1
    ) -> CooccurrenceLift:
        """Count co-occurrences; pairs seen in fewer than ``min_support`` baskets get lift 0."""
        x = incidence_matrix(baskets, items)
        n = max(x.shape[0], 1)
        co = (x.T @ x).toarray().astype(np.float64)
        counts = np.diag(co).copy()
        np.fill_diagonal(co, 0.0)
        co[co < min_support] = 0.0
        denom = np.outer(counts, counts)
        lift = np.divide(co * n, denom, out=np.zeros_like(co), where=denom > 0)
        return cls(lift)

    def score(self, context: sp.csr_matrix) -> np.ndarray:
        return np.asarray(context @ self.lift)
