"""Pearson-correlation loss on pair scores, order-aware for STS (CoDiEmb).

``1 - r(scores, labels)``: invariant to any positive affine change of the labels, so
models are trained for the STS metric itself rather than for absolute score values.

References:
    Zhang et al., "CoDiEmb", arXiv:2508.11442.
"""

from __future__ import annotations

from torch import Tensor

from rl_shared.errors import BadInput
from rl_shared.losses._pair import PairScoreLoss, check_scores_labels

__all__ = ["PearsonLoss", "pearson_loss"]

CITATION = """@article{zhang2025codiemb,
  title={CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation Learning
         in Information Retrieval and Semantic Textual Similarity},
  author={Zhang, Bowen and others},
  journal={arXiv preprint arXiv:2508.11442},
  year={2025}
}"""


def pearson_loss(scores: Tensor, labels: Tensor, *, eps: float = 1e-8) -> Tensor:
    """``1 - pearson(scores, labels)``.

    Shapes:
        scores ``(B,)``, labels ``(B,)`` with ``B >= 2`` -> scalar.

    Example:
        >>> import torch
        >>> abs(float(pearson_loss(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])))) < 1e-6
        True
    """
    labels = check_scores_labels("pearson_loss", scores, labels)
    if scores.numel() < 2:
        raise BadInput("pearson_loss needs at least two pairs in a batch")
    s = scores - scores.mean()
    y = labels - labels.mean()
    r = (s * y).sum() / (s.norm() * y.norm() + eps)
    return 1 - r


class PearsonLoss(PairScoreLoss):
    """Pearson loss for sentence-transformers: columns ``(sentence1, sentence2)``, label = score.

    References:
        Zhang et al., arXiv:2508.11442.

    Example:
        >>> loss = PearsonLoss(model)  # doctest: +SKIP
    """

    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        return pearson_loss(scores, labels)

    @property
    def citation(self) -> str:
        return CITATION
