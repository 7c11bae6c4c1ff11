"""Rank-KL: the KL divergence between the batch's gold and predicted score distributions (CoDiEmb).

Gold scores and predicted cosine similarities are each turned into a distribution over the
pairs of the batch by a softmax; the loss is ``KL(gold || predicted)``, which is minimal
when the model orders (and spaces) the pairs as the gold scores do.

References:
    Zhang et al., "CoDiEmb", arXiv:2508.11442.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_shared.losses._pair import PairScoreLoss, check_scores_labels
from rl_shared.losses.pearson import CITATION

__all__ = ["RankKLLoss", "rank_kl"]


def rank_kl(
    scores: Tensor, labels: Tensor, *, scale: float = 20.0, label_temperature: float = 0.05
) -> Tensor:
    """``KL(softmax(labels / label_temperature) || softmax(scale * scores))`` over the batch.

    Args:
        scores: predicted cosine similarity per pair.
        labels: gold scores (the default temperature suits labels in [0, 1]).
        scale: inverse temperature of the predicted distribution.
        label_temperature: temperature of the gold distribution.

    Shapes:
        scores ``(B,)``, labels ``(B,)`` -> scalar.

    Example:
        >>> import torch
        >>> y = torch.tensor([0.2, 0.4, 0.9])
        >>> float(rank_kl(y, y, scale=20.0, label_temperature=0.05)) < 1e-6
        True
    """
    labels = check_scores_labels("rank_kl", scores, labels)
    if label_temperature <= 0 or scale <= 0:
        raise BadInput("rank_kl needs a positive scale and label_temperature")
    target = torch.log_softmax(labels / label_temperature, dim=0)
    pred = torch.log_softmax(scores * scale, dim=0)
    return torch.nn.functional.kl_div(pred, target, reduction="sum", log_target=True)


class RankKLLoss(PairScoreLoss):
    """Rank-KL for sentence-transformers: columns ``(sentence1, sentence2)``, label = score.

    Args:
        model: a sentence-transformers model (or any module whose output dict holds
            ``"sentence_embedding"``).
        scale: inverse temperature of the predicted distribution.
        label_temperature: temperature of the gold distribution.

    Shapes:
        embeddings two ``(B, D)`` tensors, labels ``(B,)`` -> scalar.

    References:
        Zhang et al., arXiv:2508.11442.

    Example:
        >>> import torch
        >>> loss = RankKLLoss(torch.nn.Identity())  # a SentenceTransformer in practice
        >>> u = torch.tensor([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
        >>> v = torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
        >>> good = loss.compute_loss_from_embeddings([u, v], torch.tensor([1.0, 0.7, 0.0]))
        >>> bad = loss.compute_loss_from_embeddings([u, v], torch.tensor([0.0, 0.7, 1.0]))
        >>> bool(good < bad)
        True
    """

    def __init__(
        self, model: nn.Module, scale: float = 20.0, label_temperature: float = 0.05
    ) -> None:
        super().__init__(model)
        self.scale, self.label_temperature = scale, label_temperature

    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        return rank_kl(scores, labels, scale=self.scale, label_temperature=self.label_temperature)

    @property
    def citation(self) -> str:
        return CITATION
