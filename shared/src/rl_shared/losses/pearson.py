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

    Args:
        scores: predicted cosine similarity per pair.
        labels: gold score per pair (any scale: the correlation ignores it).
        eps: added to the denominator so constant inputs do not divide by zero.

    Raises:
        BadInput: fewer than two pairs.
        ShapeMismatch: not one label per score.

    References:
        Zhang et al., "CoDiEmb", arXiv:2508.11442.

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

    Args:
        model: a sentence-transformers model (or any module whose output dict holds
            ``"sentence_embedding"``).

    Shapes:
        embeddings two ``(B, D)`` tensors, labels ``(B,)`` -> scalar.

    Example:
        >>> import torch
        >>> loss = PearsonLoss(torch.nn.Identity())  # a SentenceTransformer in practice
        >>> u = torch.tensor([[1.0, 0.0], [0.5, 0.75**0.5], [0.0, 1.0]])  # cosines 1, 0.5, 0
        >>> v = torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
        >>> labels = torch.tensor([5.0, 2.5, 0.0])  # a 0-5 scale: only the correlation counts
        >>> abs(float(loss.compute_loss_from_embeddings([u, v], labels))) < 1e-6
        True
    """

    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        return pearson_loss(scores, labels)

    @property
    def citation(self) -> str:
        return CITATION
