"""CoDiEmb's order-aware STS loss: CoSENT + Pearson + rank-KL on the cosine scores of pairs.

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv:2508.11442.

Example:
    >>> OrderAwareStsLoss(model=None).get_config_dict()
    {'weights': [1.0, 1.0, 1.0], 'scale': 20.0}
"""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_shared.losses import cosent, pearson_loss, rank_kl
from rl_shared.losses._pair import PairScoreLoss

__all__ = ["OrderAwareStsLoss"]


class OrderAwareStsLoss(PairScoreLoss):
    """``w_c·CoSENT + w_p·Pearson + w_r·rank-KL`` on the cosine scores of sentence pairs.

    Labels are gold scores scaled to [0, 1]. The three terms are rl-shared's
    :func:`~rl_shared.losses.cosent`, :func:`~rl_shared.losses.pearson_loss` and
    :func:`~rl_shared.losses.rank_kl`; sentence-transformers' ``CoSENTLoss`` is the first
    alone.

    Args:
        model: a ``SentenceTransformer``.
        weights: ``(w_cosent, w_pearson, w_rank_kl)``.
        scale: CoSENT / rank-KL inverse temperature of the cosine scores.

    Shapes:
        ``loss_fn(scores, labels)``: ``(B,)`` cosine scores and ``(B,)`` labels -> a scalar.

    References:
        Zhang et al., "CoDiEmb", arXiv:2508.11442.

    Example:
        >>> import torch
        >>> loss = OrderAwareStsLoss(model=None)
        >>> y = torch.tensor([0.1, 0.5, 0.9])
        >>> float(loss.loss_fn(y, y)) < float(loss.loss_fn(y, y.flip(0)))
        True
    """

    def __init__(
        self,
        model: nn.Module,
        weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
        scale: float = 20.0,
    ) -> None:
        super().__init__(model)
        if len(weights) != 3 or min(weights) < 0 or sum(weights) == 0:
            raise BadInput("weights must be three non-negative numbers, not all zero")
        self.weights, self.scale = tuple(weights), scale

    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        w_c, w_p, w_r = self.weights
        total = scores.new_zeros(())
        if w_c:
            total = total + w_c * cosent(scores, labels, scale=self.scale)
        if w_p:
            total = total + w_p * pearson_loss(scores, labels)
        if w_r:
            total = total + w_r * rank_kl(scores, labels, scale=self.scale)
        return total

    def get_config_dict(self) -> dict[str, Any]:
        return {"weights": list(self.weights), "scale": self.scale}

    @property
    def citation(self) -> str:
        return "Zhang et al., CoDiEmb, arXiv:2508.11442"
