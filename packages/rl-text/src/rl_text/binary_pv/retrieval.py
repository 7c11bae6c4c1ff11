"""Retrieval by Hamming distance, random-hyperplane hashing and precision@k / mAP.

References:
    Grzegorczyk & Kurdziel, "Binary Paragraph Vectors", RepL4NLP 2017.
    https://arxiv.org/abs/1611.01116

Example:
    >>> import numpy as np
    >>> q = np.array([[0, 1, 1]], dtype=np.uint8); db = np.array([[0, 1, 0], [1, 0, 0]], dtype=np.uint8)
    >>> hamming(q, db).tolist()
    [[1, 3]]
    >>> precision_at_k(np.array([[0, 1]]), np.array([0]), np.array([0, 1]), k=1)
    1.0
"""

from __future__ import annotations

import numpy as np

from rl_shared.errors import ShapeMismatch

__all__ = [
    "hamming",
    "mean_average_precision",
    "precision_at_k",
    "random_hyperplane_codes",
    "rank_by_hamming",
    "rerank",
]


def hamming(queries: np.ndarray, database: np.ndarray) -> np.ndarray:
    """Hamming distances ``(Q, N)`` between 0/1 codes ``(Q, B)`` and ``(N, B)``.

    Args:
        queries: 0/1 codes of the queries.
        database: 0/1 codes of the database.

    Shapes:
        queries ``(Q, B)``, database ``(N, B)`` -> ``(Q, N)`` int64.

    Example:
        >>> hamming(np.array([[1, 0, 1]]), np.array([[1, 0, 1], [0, 1, 0]])).tolist()
        [[0, 3]]
    """
    q = np.asarray(queries, dtype=np.float32)
    d = np.asarray(database, dtype=np.float32)
    if q.shape[1] != d.shape[1]:
        raise ShapeMismatch(f"query codes have {q.shape[1]} bits, database codes {d.shape[1]}")
    return (q @ (1 - d).T + (1 - q) @ d.T).astype(np.int64)


def rank_by_hamming(queries: np.ndarray, database: np.ndarray) -> np.ndarray:
    """Database indices ``(Q, N)`` sorted by Hamming distance (stable: ties by index).

    Args:
        queries: 0/1 codes ``(Q, B)``.
        database: 0/1 codes ``(N, B)``.

    Example:
        >>> rank_by_hamming(np.array([[0, 1]]), np.array([[1, 0], [0, 1]])).tolist()
        [[1, 0]]
    """
    return np.argsort(hamming(queries, database), axis=1, kind="stable")


def random_hyperplane_codes(vectors: np.ndarray, bits: int, seed: int = 0, planes=None):
    """Sign of random Gaussian projections (Charikar's SimHash): ``(N, bits)`` uint8.

    Returns ``(codes, planes)``; pass ``planes`` back to hash queries the same way.

    Args:
        vectors: real vectors ``(N, D)``.
        bits: code length.
        seed: seed of the Gaussian planes.
        planes: reuse these ``(D, bits)`` planes instead of drawing new ones.

    Example:
        >>> codes, planes = random_hyperplane_codes(np.eye(3), bits=4)
        >>> codes.shape, planes.shape
        ((3, 4), (3, 4))
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if planes is None:
        planes = np.random.default_rng(seed).standard_normal((vectors.shape[1], bits))
    return (vectors @ planes > 0).astype(np.uint8), planes


def rerank(ranking: np.ndarray, q_real: np.ndarray, db_real: np.ndarray, top: int) -> np.ndarray:
    """Re-order each row's first ``top`` candidates by cosine of the real codes.

    Args:
        ranking: database indices ``(Q, N)`` (e.g. from :func:`rank_by_hamming`).
        q_real: real codes of the queries ``(Q, D)``.
        db_real: real codes of the database ``(N, D)``.
        top: how many leading candidates to re-order.

    Example:
        >>> rerank(np.array([[0, 1]]), np.array([[0.0, 1.0]]), np.eye(2), top=2).tolist()
        [[1, 0]]
    """
    qn = q_real / np.linalg.norm(q_real, axis=1, keepdims=True).clip(1e-12)
    dn = db_real / np.linalg.norm(db_real, axis=1, keepdims=True).clip(1e-12)
    out = ranking.copy()
    for i in range(len(ranking)):
        head = ranking[i, :top]
        out[i, :top] = head[np.argsort(-(dn[head] @ qn[i]), kind="stable")]
    return out


def precision_at_k(
    ranking: np.ndarray, q_labels: np.ndarray, db_labels: np.ndarray, k: int = 10
) -> float:
    """Mean fraction of the first ``k`` retrieved documents that share the query's class.

    Args:
        ranking: database indices ``(Q, N)``.
        q_labels: class of each query ``(Q,)``.
        db_labels: class of each database document ``(N,)``.
        k: cut-off.

    Example:
        >>> precision_at_k(np.array([[1, 0, 2]]), np.array([0]), np.array([0, 1, 0]), k=2)
        0.5
    """
    hits = db_labels[ranking[:, :k]] == q_labels[:, None]
    return float(hits.mean())


def mean_average_precision(
    ranking: np.ndarray, q_labels: np.ndarray, db_labels: np.ndarray, k: int | None = None
) -> float:
    """Mean over queries of average precision (relevant = same class) over the ranking.

    Args:
        ranking: database indices of each query, best first.
        q_labels: class of each query.
        db_labels: class of each database item.
        k: cut the ranking at ``k`` (then AP is normalised by the relevant items retrieved);
            ``None`` ranks the whole database (normalised by all relevant items).

    Shapes:
        ranking ``(Q, N)`` (or ``(Q, >=k)``), q_labels ``(Q,)``, db_labels ``(N,)`` → float
        (rounded to 4 places).

    Example:
        >>> mean_average_precision(np.array([[1, 0, 2]]), np.array([0]), np.array([0, 1, 0]))
        0.5833
    """
    rel = (db_labels[ranking[:, :k] if k else ranking] == q_labels[:, None]).astype(np.float64)
    cum = np.cumsum(rel, axis=1)
    ranks = np.arange(1, rel.shape[1] + 1)
    n_rel = (db_labels[None, :] == q_labels[:, None]).sum(1) if k is None else rel.sum(1)
    ap = (rel * cum / ranks).sum(1) / np.maximum(n_rel, 1)
    return round(float(ap.mean()), 4)
