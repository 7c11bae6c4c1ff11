"""Evaluation of sentence encoders: retrieval recall@k and STS Spearman correlation.

STS pairs come from :mod:`rl_shared.sts` (``stsb[:split]``, ``sick[:split]`` or a file of
pairs) and are scored with :func:`rl_shared.sts.correlations`.

Example:
    >>> import torch
    >>> recall_at_k(torch.eye(3), torch.arange(3), (1,))
    {'r@1': 1.0}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from rl_shared.sts import StsPairs, correlations

__all__ = ["recall_at_k", "sts_correlations"]


def recall_at_k(
    scores: Tensor, targets: Tensor, ks: Sequence[int] = (1, 5, 10)
) -> dict[str, float]:
    """Recall@k of queries (rows of ``scores``) whose correct item index is ``targets``.

    Args:
        scores: query-item similarities.
        targets: the correct item per query, or a boolean relevance matrix (any relevant
            item in the top k counts).
        ks: the cut-offs.

    Shapes:
        scores ``(Q, N)``; targets ``(Q,)`` or ``(Q, N)``.

    Example:
        >>> recall_at_k(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([0, 0]), (1, 2))
        {'r@1': 0.5, 'r@2': 1.0}
    """
    if targets.dim() == 1:
        rel = torch.zeros_like(scores, dtype=torch.bool)
        rel[torch.arange(len(scores)), targets] = True
    else:
        rel = targets.bool()
    order = scores.argsort(dim=1, descending=True)
    hits = rel.gather(1, order)
    return {f"r@{k}": float(hits[:, :k].any(dim=1).float().mean()) for k in ks}


def sts_correlations(
    encode: Callable[[list[str]], Tensor], pairs: StsPairs
) -> dict[str, float | None]:
    """Spearman and Pearson correlation between gold scores and the cosine of encoded pairs.

    Args:
        encode: texts -> ``(n, D)`` embeddings.
        pairs: STS pairs (:func:`rl_shared.sts.named_or_file_pairs`).

    Example:
        >>> from rl_shared.sts import StsPairs
        >>> pairs = StsPairs(["a", "b", "a"], ["a", "a", "c"], [5.0, 0.0, 4.0])
        >>> enc = lambda t: torch.tensor([[1.0, 0.0] if s in "ac" else [0.0, 1.0] for s in t])
        >>> round(sts_correlations(enc, pairs)["pearson"], 3)
        0.982
    """
    a = torch.nn.functional.normalize(encode(list(pairs.sentences1)), dim=-1)
    b = torch.nn.functional.normalize(encode(list(pairs.sentences2)), dim=-1)
    return correlations((a * b).sum(-1).tolist(), pairs.scores)
