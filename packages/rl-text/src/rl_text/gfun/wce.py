"""Word-class embeddings: each word's correlation with each class, from labelled documents.

With ``X`` the ``(documents × words)`` weighted term matrix and ``Y`` the
``(documents × classes)`` label indicator matrix, the word-class embedding matrix is
``E = Xᵀ Y`` (row ``w``: how strongly word ``w`` co-occurs with each class), optionally
standardised column-wise to zero mean and unit variance. A document is then embedded as
``X E`` (the weighted sum of its words' rows), a vector with one coordinate per class:
the same space in every language, so it is a language-independent view.

References:
    Moreo, Esuli, Sebastiani, "Word-Class Embeddings for Multiclass Text Classification",
    Data Mining and Knowledge Discovery 35 (2021), arXiv:1911.11506.
    Moreo, Pedrotti, Sebastiani, "Generalized Funnelling", ACM TOIS 40 (2022),
    arXiv:2110.14764.

Example:
    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    >>> Y = np.array([[1, 0], [0, 1]])
    >>> word_class_embeddings(X, Y, standardise=False).tolist()
    [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
"""

from __future__ import annotations

import numpy as np

from rl_shared.errors import ShapeMismatch

__all__ = ["label_matrix", "word_class_embeddings"]


def label_matrix(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """``(n, C)`` 0/1 matrix from class indices ``(n,)`` or an indicator matrix ``(n, C)``.

    Args:
        labels: class indices, or a matrix whose positive entries mark the classes.
        n_classes: number of classes ``C``.

    Raises:
        ShapeMismatch: a matrix with other than ``n_classes`` columns.

    Example:
        >>> label_matrix(np.array([0, 2]), 3).tolist()
        [[1, 0, 0], [0, 0, 1]]
    """
    labels = np.asarray(labels)
    if labels.ndim == 2:
        if labels.shape[1] != n_classes:
            raise ShapeMismatch(f"labels have {labels.shape[1]} columns, expected {n_classes}")
        return (labels > 0).astype(np.int64)
    out = np.zeros((len(labels), n_classes), dtype=np.int64)
    out[np.arange(len(labels)), labels.astype(np.int64)] = 1
    return out


def word_class_embeddings(X, Y: np.ndarray, *, standardise: bool = True) -> np.ndarray:
    """``E = Xᵀ Y`` (words × classes), optionally standardised per class column.

    Args:
        X: ``(n_docs, n_words)`` term weights, dense or scipy sparse.
        Y: ``(n_docs, n_classes)`` 0/1 labels.
        standardise: z-score each column (the WCE paper's normalisation).

    Shapes:
        returns ``(n_words, n_classes)`` float64.

    Example:
        >>> word_class_embeddings(np.eye(2), np.eye(2), standardise=False).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    if X.shape[0] != Y.shape[0]:
        raise ShapeMismatch(f"X has {X.shape[0]} documents but Y has {Y.shape[0]} rows")
    E = np.asarray(X.T @ np.asarray(Y, dtype=np.float64), dtype=np.float64)
    if standardise:
        std = E.std(axis=0)
        E = (E - E.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return E
