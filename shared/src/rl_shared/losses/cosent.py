"""CoSENT: a pairwise ranking loss on cosine similarities, order-aware for STS (CoDiEmb).

For every two pairs ``i, j`` with gold ``y_i > y_j`` the loss asks ``cos_i > cos_j``:
``log(1 + sum_{y_i > y_j} exp(scale * (cos_j - cos_i)))``. Equal to
sentence-transformers' ``CoSENTLoss`` (tested); this one computes it with an explicit
masked matrix, simple enough to check by hand, and is used by CoDiEmb's STS branch.

References:
    Su, "CoSENT" (2022), https://kexue.fm/archives/8847. Zhang et al., "CoDiEmb: A
    Collaborative yet Distinct Framework for Unified Representation Learning in
    Information Retrieval and Semantic Textual Similarity", arXiv:2508.11442.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from rl_shared.losses._pair import PairScoreLoss, check_scores_labels

__all__ = ["CoSENTLoss", "cosent"]

CITATION = """@online{kexuefm-8847,
  title={CoSENT: A more efficient sentence vector scheme than Sentence-BERT},
  author={Su Jianlin},
  year={2022},
  url={https://kexue.fm/archives/8847},
}"""


def cosent(scores: Tensor, labels: Tensor, *, scale: float = 20.0) -> Tensor:
    """CoSENT loss of predicted pair scores against gold labels.

    Args:
        scores: predicted similarity per pair (cosine).
        labels: gold score per pair; only their order matters.
        scale: inverse temperature.

    Shapes:
        scores ``(B,)``, labels ``(B,)`` -> scalar.

    Example:
        >>> import torch
        >>> labels = torch.tensor([0.1, 0.5, 0.9])
        >>> bool(cosent(torch.tensor([0.1, 0.5, 0.9]), labels) < cosent(torch.tensor([0.9, 0.5, 0.1]), labels))
        True
    """
    labels = check_scores_labels("cosent", scores, labels)
    scaled = scores * scale
    diff = scaled[None, :] - scaled[:, None]  # diff[i, j] = s_j - s_i
    diff = diff.masked_fill(~(labels[:, None] > labels[None, :]), float("-inf"))
    return torch.logsumexp(torch.cat([diff.new_zeros(1), diff.flatten()]), dim=0)


class CoSENTLoss(PairScoreLoss):
    """CoSENT for sentence-transformers: columns ``(sentence1, sentence2)``, label = gold score.

    Args:
        model: a ``SentenceTransformer``.
        scale: inverse temperature.

    References:
        Su (2022); Zhang et al., arXiv:2508.11442.

    Example:
        >>> loss = CoSENTLoss(model)  # doctest: +SKIP
    """

    def __init__(self, model: nn.Module, scale: float = 20.0) -> None:
        super().__init__(model)
        self.scale = scale

    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        return cosent(scores, labels, scale=self.scale)

    @property
    def citation(self) -> str:
        return CITATION
