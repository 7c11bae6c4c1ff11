"""Evaluation of sentence encoders: retrieval recall@k and STS-B Spearman correlation.

Spearman's rho is computed here from average ranks (ties share their mean rank), so no
statistics package is needed; STS-B is read straight from its CSV (no header; sentence1,
sentence2, score).

Example:
    >>> round(spearman([1, 2, 3, 4], [10, 20, 30, 25]), 3)
    0.8
    >>> import torch
    >>> recall_at_k(torch.eye(3), torch.arange(3), (1,))
    {'r@1': 1.0}
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from rl_shared.data import data_dir
from rl_shared.errors import DatasetNotFound, MalformedFile

__all__ = ["load_stsb_test", "rankdata", "recall_at_k", "spearman", "sts_spearman"]


def rankdata(x: Sequence[float] | np.ndarray) -> np.ndarray:
    """Average ranks (1-based), ties get the mean of their positions."""
    a = np.asarray(x, dtype=float)
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a))
    sorted_a = a[order]
    i = 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and sorted_a[j + 1] == sorted_a[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation of two equally long sequences."""
    rx, ry = rankdata(x), rankdata(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    denom = float(np.sqrt((rx**2).sum() * (ry**2).sum()))
    return float((rx * ry).sum() / denom) if denom > 0 else 0.0


def recall_at_k(
    scores: Tensor, targets: Tensor, ks: Sequence[int] = (1, 5, 10)
) -> dict[str, float]:
    """Recall@k of queries (rows of ``scores``) whose correct item index is ``targets``.

    Args:
        scores: ``(Q, N)`` query-item similarities.
        targets: ``(Q,)`` correct item per query, or ``(Q, N)`` boolean relevance (any
            relevant item in the top k counts).
    """
    if targets.dim() == 1:
        rel = torch.zeros_like(scores, dtype=torch.bool)
        rel[torch.arange(len(scores)), targets] = True
    else:
        rel = targets.bool()
    order = scores.argsort(dim=1, descending=True)
    hits = rel.gather(1, order)
    return {f"r@{k}": float(hits[:, :k].any(dim=1).float().mean()) for k in ks}


def load_stsb_test(path: str | Path | None = None) -> tuple[list[str], list[str], np.ndarray]:
    """STS-B English test pairs and gold scores from ``sts/stsb/stsb-en-test.csv``."""
    path = Path(path) if path is not None else data_dir() / "sts" / "stsb" / "stsb-en-test.csv"
    if not path.is_file():
        raise DatasetNotFound(
            "stsb-en-test",
            path.parent,
            "put stsb-en-test.csv (STSb-multi-mt) there or set RL_DATA_DIR",
        )
    s1, s2, gold = [], [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh), start=1):
            if len(row) != 3:
                raise MalformedFile(path, lineno, f"expected 3 columns, got {len(row)}")
            try:
                gold.append(float(row[2]))
            except ValueError:
                raise MalformedFile(path, lineno, f"score '{row[2]}' is not a number") from None
            s1.append(row[0])
            s2.append(row[1])
    return s1, s2, np.asarray(gold)


def sts_spearman(
    encode: Callable[[list[str]], Tensor], s1: list[str], s2: list[str], gold: np.ndarray
) -> float:
    """Spearman correlation between gold scores and the cosine of encoded pairs."""
    a = torch.nn.functional.normalize(encode(s1), dim=-1)
    b = torch.nn.functional.normalize(encode(s2), dim=-1)
    return spearman((a * b).sum(-1).tolist(), gold)
