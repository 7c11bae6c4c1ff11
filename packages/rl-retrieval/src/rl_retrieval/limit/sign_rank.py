"""Sign-rank bounds on the embedding dimension a qrel matrix needs.

For a binary qrel matrix ``A`` (queries x documents), let ``rank_rop(A)`` be the smallest ``d``
such that ``d``-dimensional query and document vectors rank every query's relevant
documents above its irrelevant ones. The paper (Prop. 2) shows

    rank_±(2A - 1) - 1  <=  rank_rop(A)  <=  rank_±(2A - 1),

where ``rank_±`` is the sign-rank. Sign-rank is hard to compute, so this module gives
computable bounds on it: Forster's lower bound ``sqrt(m n) / ||M||_2`` for a ±1 matrix
``M`` and the real rank of ``M`` as an upper bound, and checks whether given embeddings
realize a qrel matrix.

What it adds: the bounds as functions over qrels; no library ships them.

References:
    Weller et al., arXiv:2508.21038, Section 3; Forster, "A linear lower bound on the
    unbounded error probabilistic communication complexity", JCSS 65 (2002); Alon, Frankl &
    Rödl, "Geometrical realization of set systems and probabilistic communication
    complexity", FOCS 1985.

Example:
    >>> import itertools, numpy as np
    >>> pairs = list(itertools.combinations(range(4), 2))
    >>> A = qrel_matrix({f"q{i}": {f"d{a}": 1, f"d{b}": 1} for i, (a, b) in enumerate(pairs)})[0]
    >>> lo, hi = dimension_bounds(A)
    >>> lo <= 3 <= hi
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = [
    "dimension_bounds",
    "forster_lower_bound",
    "qrel_matrix",
    "realizes_top_k",
    "sign_matrix",
    "sign_rank_upper_bound",
]


def qrel_matrix(qrels: Mapping[str, Mapping[str, int]]) -> tuple[np.ndarray, list[str], list[str]]:
    """The binary matrix ``A`` (queries x documents, 1 where relevance > 0) and its row/column ids.

    Rows are the queries in sorted order; columns are the documents relevant to at least one
    query, in sorted order (documents judged only irrelevant get no column).

    Args:
        qrels: ``{query_id: {doc_id: relevance}}``.

    Shapes:
        returns ``A`` ``(queries, documents)`` of ``int8`` 0/1, with ``qids`` and ``dids``
        naming its rows and columns.

    Example:
        >>> matrix, qids, dids = qrel_matrix({"q1": {"b": 1, "a": 0}, "q0": {"a": 1}})
        >>> matrix.tolist(), qids, dids
        ([[1, 0], [0, 1]], ['q0', 'q1'], ['a', 'b'])
    """
    qids = sorted(qrels)
    dids = sorted({d for docs in qrels.values() for d, r in docs.items() if r > 0})
    col = {d: j for j, d in enumerate(dids)}
    mat = np.zeros((len(qids), len(dids)), dtype=np.int8)
    for i, q in enumerate(qids):
        for d, r in qrels[q].items():
            if r > 0:
                mat[i, col[d]] = 1
    return mat, qids, dids


def sign_matrix(a: np.ndarray) -> np.ndarray:
    """``2A - 1``: +1 where relevant, -1 elsewhere.

    Args:
        a: a binary qrel matrix (e.g. from :func:`qrel_matrix`).

    Raises:
        BadInput: ``a`` is not 2-D or has entries other than 0 and 1.

    Shapes:
        a ``(m, n)`` of 0/1; returns ``(m, n)`` ``float64`` of ±1.

    Example:
        >>> import numpy as np
        >>> sign_matrix(np.array([[1, 0]])).tolist()
        [[1.0, -1.0]]
    """
    a = np.asarray(a)
    if a.ndim != 2 or not np.isin(a, (0, 1)).all():
        raise BadInput("a qrel matrix must be 2-D with entries 0 and 1")
    return 2.0 * a.astype(np.float64) - 1.0


def forster_lower_bound(m: np.ndarray) -> float:
    """Forster's bound: ``sign-rank(M) >= sqrt(rows * cols) / ||M||_2`` for a ±1 matrix ``M``.

    Args:
        m: a ±1 matrix (e.g. from :func:`sign_matrix`); ``||M||_2`` is its spectral norm.

    Raises:
        BadInput: ``m`` is not 2-D or has entries other than +1 and -1.

    Shapes:
        m ``(rows, cols)``; returns a float.

    References:
        Forster, "A linear lower bound on the unbounded error probabilistic communication
        complexity", JCSS 65 (2002).

    Example:
        >>> import numpy as np
        >>> round(forster_lower_bound(np.array([[1.0, 1.0], [1.0, -1.0]])), 4)
        1.4142
    """
    m = np.asarray(m, dtype=np.float64)
    if m.ndim != 2 or not np.isin(m, (-1.0, 1.0)).all():
        raise BadInput("Forster's bound needs a 2-D matrix of +1 and -1")
    return math.sqrt(m.shape[0] * m.shape[1]) / float(np.linalg.norm(m, 2))


def sign_rank_upper_bound(m: np.ndarray) -> int:
    """The real rank of the ±1 matrix, an upper bound on its sign-rank.

    Args:
        m: a ±1 matrix (e.g. from :func:`sign_matrix`; not checked).

    Shapes:
        m ``(rows, cols)``; returns an int.

    Example:
        >>> import numpy as np
        >>> sign_rank_upper_bound(np.array([[1.0, -1.0], [-1.0, 1.0]]))
        1
    """
    return int(np.linalg.matrix_rank(np.asarray(m, dtype=np.float64)))


def dimension_bounds(a: np.ndarray) -> tuple[int, int]:
    """Bounds ``(lo, hi)`` on the dimension ``d`` that embeddings need to realize qrels ``A``.

    ``lo = ceil(Forster(2A - 1)) - 1`` and ``hi = rank(2A - 1)``, through
    ``rank_±(2A-1) - 1 <= rank_rop(A) <= rank_±(2A-1)`` (arXiv:2508.21038, Prop. 2).
    ``lo`` is at least 1 and ``hi`` at least ``lo``.

    Args:
        a: the binary qrel matrix ``A`` (e.g. from :func:`qrel_matrix`).

    Raises:
        BadInput: ``a`` is not 2-D or has entries other than 0 and 1.

    Shapes:
        a ``(queries, documents)`` of 0/1.

    References:
        Weller et al., arXiv:2508.21038, Section 3 (Prop. 2); Forster, JCSS 65 (2002).

    Example:
        >>> import numpy as np
        >>> dimension_bounds(np.eye(3, dtype=int))
        (1, 3)
    """
    m = sign_matrix(a)
    lower = max(1, math.ceil(forster_lower_bound(m) - 1e-9) - 1)
    return lower, max(lower, sign_rank_upper_bound(m))


def realizes_top_k(queries: np.ndarray, docs: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Per query, whether its relevant documents all score above all its irrelevant ones.

    Scores are inner products ``queries @ docs.T``; ties count as not realized. A query with
    no relevant or no irrelevant documents counts as realized.

    Args:
        queries: query embeddings.
        docs: document embeddings.
        a: the binary qrel matrix (nonzero = relevant).

    Raises:
        ShapeMismatch: ``a``'s shape is not ``(len(queries), len(docs))``.

    Shapes:
        queries ``(m, d)``, docs ``(n, d)``, a ``(m, n)`` of 0/1; returns ``(m,)`` bool.

    Example:
        >>> import numpy as np
        >>> realizes_top_k(np.eye(2), np.eye(2), np.array([[1, 0], [1, 0]])).tolist()
        [True, False]
    """
    scores = np.asarray(queries) @ np.asarray(docs).T
    a = np.asarray(a).astype(bool)
    if scores.shape != a.shape:
        raise ShapeMismatch(f"scores {scores.shape} and qrel matrix {a.shape} differ")
    pos = np.where(a, scores, np.inf).min(1)
    neg = np.where(a, -np.inf, scores).max(1)
    return pos > neg
