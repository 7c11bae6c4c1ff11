"""MFF, modality-agnostic feature fusion of Any2Seg, for any subset of modalities.

For ``M`` present modalities with features ``F_1..F_M`` (one stage, ``(B, C, H, W)``):

1. *inter-modal correlation*: global descriptors ``g_m = avgpool(F_m)`` are projected
   to queries and keys; ``A = softmax(q k^T / sqrt(d))`` is the ``M x M`` correlation;
   the weight of modality ``m`` is how much all modalities attend to it,
   ``w_m = mean_n A[n, m]`` (the weights sum to 1);
2. *reweighting*: ``F_w = sum_m w_m F_m``;
3. *fine-grained selection*: ``F_max = max_m F_m`` keeps, per position and channel, the
   strongest response of any modality;
4. output ``F_w + conv1x1([F_w, F_max])``.

Every step is a symmetric function of the set of modalities, so the output does not
depend on their order, and any ``M >= 1`` works (``M = 1`` gives ``w = 1``).
:class:`MeanFusion` (plain average) is the ablation without MFF.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation
    from Any Modalities" (Any2Seg), ECCV 2024, arXiv:2407.11351.

Example:
    >>> import torch
    >>> fuse = ModalityAgnosticFusion(8).eval()
    >>> a, b = torch.randn(2, 8, 4, 4), torch.randn(2, 8, 4, 4)
    >>> torch.allclose(fuse([a, b]), fuse([b, a]), atol=1e-6)
    True
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput

__all__ = ["MeanFusion", "ModalityAgnosticFusion"]


def _stack(features: Sequence[Tensor]) -> Tensor:
    if len(features) == 0:
        raise BadInput("fusion needs at least one modality's features")
    return torch.stack(list(features), dim=1)


class ModalityAgnosticFusion(nn.Module):
    """MFF for one feature stage.

    Args:
        channels: feature channels ``C``.
        reduction: query/key width is ``max(4, C // reduction)``.

    Shapes:
        list of ``M`` tensors ``(B, C, H, W)`` -> ``(B, C, H, W)``.
    """

    def __init__(self, channels: int, reduction: int = 4) -> None:
        super().__init__()
        d = max(4, channels // reduction)
        self.query = nn.Linear(channels, d)
        self.key = nn.Linear(channels, d)
        self.scale = d**-0.5
        self.select = nn.Sequential(
            nn.Conv2d(2 * channels, channels, 1, bias=False), nn.BatchNorm2d(channels), nn.ReLU()
        )

    def modality_weights(self, stacked: Tensor) -> Tensor:
        """``(B, M, C, H, W)`` -> ``(B, M)`` correlation weights (rows sum to 1)."""
        g = stacked.mean(dim=(3, 4))
        attn = torch.softmax(self.query(g) @ self.key(g).transpose(1, 2) * self.scale, dim=-1)
        return attn.mean(dim=1)

    def forward(self, features: Sequence[Tensor]) -> Tensor:
        x = _stack(features)
        w = self.modality_weights(x)
        reweighted = (w[:, :, None, None, None] * x).sum(dim=1)
        selected = x.max(dim=1).values
        return reweighted + self.select(torch.cat([reweighted, selected], dim=1))


class MeanFusion(nn.Module):
    """Average of the present modalities' features (the "without MFF" ablation).

    Args:
        channels: ignored (it keeps the constructor interchangeable with
            :class:`ModalityAgnosticFusion`).

    Shapes:
        list of ``M`` tensors ``(B, C, H, W)`` -> ``(B, C, H, W)``.

    Example:
        >>> import torch
        >>> MeanFusion()([torch.ones(1, 2, 1, 1), torch.zeros(1, 2, 1, 1)]).flatten().tolist()
        [0.5, 0.5]
    """

    def __init__(self, channels: int = 0) -> None:
        super().__init__()

    def forward(self, features: Sequence[Tensor]) -> Tensor:
        return _stack(features).mean(dim=1)
