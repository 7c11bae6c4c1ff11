"""Focal-style reweighting of hard samples in InfoNCE (KaLM-Embedding-V2).

Each anchor-positive pair's cross-entropy ``l = -log s`` (``s`` the softmax probability of
the positive) is weighted by ``(1 - s) ** gamma``, so pairs the model already ranks well
contribute little and hard pairs dominate the gradient. ``gamma = 0`` is plain InfoNCE.

References:
    Zhao et al., "KaLM-Embedding-V2: Superior Training Techniques and Data Inspire A
    Versatile Embedding Model", arXiv:2506.20923. Lin et al., "Focal Loss for Dense Object
    Detection", arXiv:1708.02002.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_shared.losses._common import embed
from rl_shared.losses.info_nce import InfoNCELoss, info_nce

__all__ = ["FocalInfoNCELoss", "focal_info_nce", "focal_weights"]

CITATION = """@article{zhao2025kalmv2,
  title={KaLM-Embedding-V2: Superior Training Techniques and Data Inspire A Versatile Embedding Model},
  author={Zhao, Xinping and Hu, Xinshuo and Shan, Zifei and others},
  journal={arXiv preprint arXiv:2506.20923},
  year={2025}
}"""


def focal_weights(per_pair_loss: Tensor, gamma: float) -> Tensor:
    """``(1 - s) ** gamma`` with ``s = exp(-loss)`` the probability of the positive.

    Args:
        per_pair_loss: each pair's cross-entropy ``-log s`` (non-negative), e.g.
            ``info_nce(..., reduction="none")``.
        gamma: focusing strength; 0 gives weight 1 everywhere.

    Shapes:
        per_pair_loss any shape -> the same shape.

    References:
        Zhao et al., "KaLM-Embedding-V2", arXiv:2506.20923; Lin et al., "Focal Loss for
        Dense Object Detection", arXiv:1708.02002.

    Example:
        >>> import math, torch
        >>> loss = torch.tensor([0.0, math.log(2.0), 10.0])  # s = 1, 0.5, ~0
        >>> focal_weights(loss, gamma=2.0)
        tensor([0.0000, 0.2500, 0.9999])
        >>> focal_weights(loss, gamma=0.0)
        tensor([1., 1., 1.])
    """
    return (-torch.expm1(-per_pair_loss)).clamp_min(0).pow(gamma)


def focal_info_nce(
    anchors: Tensor,
    positives: Tensor,
    negatives: Tensor | None = None,
    *,
    gamma: float = 1.0,
    temperature: float = 0.05,
    gather_across_ranks: bool = False,
    extra_logits: Tensor | None = None,
) -> Tensor:
    """InfoNCE whose per-pair terms are weighted by ``(1 - s) ** gamma``.

    Args:
        anchors, positives, negatives, temperature, gather_across_ranks, extra_logits:
            as in :func:`rl_shared.losses.info_nce`.
        gamma: focusing strength (0 gives plain InfoNCE).

    Shapes:
        as :func:`rl_shared.losses.info_nce`; returns a scalar.

    Example:
        >>> import torch
        >>> a = torch.randn(8, 16)
        >>> bool(focal_info_nce(a, a, gamma=2.0) < focal_info_nce(a, a, gamma=0.0))
        True
    """
    if gamma < 0:
        raise BadInput(f"gamma must be non-negative, got {gamma}")
    losses = info_nce(
        anchors,
        positives,
        negatives,
        temperature=temperature,
        gather_across_ranks=gather_across_ranks,
        extra_logits=extra_logits,
        reduction="none",
    )
    return (focal_weights(losses, gamma) * losses).mean()


class FocalInfoNCELoss(InfoNCELoss):
    """:class:`~rl_shared.losses.InfoNCELoss` with KaLM-Embedding-V2's focal reweighting.

    Args:
        model: a ``SentenceTransformer``.
        gamma: focusing strength.
        temperature, num_positives, gather_across_devices: as in ``InfoNCELoss``.

    References:
        Zhao et al., arXiv:2506.20923.

    Shapes:
        embeddings ``1 + P + N`` tensors of ``(B, D)`` -> scalar.

    Example:
        >>> import torch
        >>> loss = FocalInfoNCELoss(torch.nn.Identity(), gamma=1.0)  # a SentenceTransformer in practice
        >>> plain = InfoNCELoss(torch.nn.Identity())
        >>> anchors, positives = torch.randn(4, 8), torch.randn(4, 8)
        >>> focal = loss.compute_loss_from_embeddings([anchors, positives])
        >>> bool(focal <= plain.compute_loss_from_embeddings([anchors, positives]))
        True
        >>> loss.get_config_dict()["gamma"]
        1.0
    """

    def __init__(
        self,
        model: nn.Module,
        gamma: float = 1.0,
        temperature: float = 0.05,
        num_positives: int = 1,
        gather_across_devices: bool = False,
    ) -> None:
        super().__init__(model, temperature, num_positives, gather_across_devices)
        if gamma < 0:
            raise BadInput(f"gamma must be non-negative, got {gamma}")
        self.gamma = gamma

    def forward(
        self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor | None = None
    ) -> Tensor:
        return self.compute_loss_from_embeddings(embed(self.model, sentence_features))

    def compute_loss_from_embeddings(
        self, embeddings: list[Tensor], labels: Tensor | None = None
    ) -> Tensor:
        anchors, positives, negatives = self.split(embeddings)
        return focal_info_nce(
            anchors,
            positives,
            negatives,
            gamma=self.gamma,
            temperature=self.temperature,
            gather_across_ranks=self.gather_across_devices,
        )

    def get_config_dict(self) -> dict[str, object]:
        return {**super().get_config_dict(), "gamma": self.gamma}

    @property
    def citation(self) -> str:
        return CITATION
