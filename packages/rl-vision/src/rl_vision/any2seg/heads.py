"""Small heads shared by the student and the teacher: stride-8 embedding head.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["EmbeddingHead"]


class EmbeddingHead(nn.Module):
    """Project the two deepest encoder stages to a ``dim``-wide embedding at the coarser one's
    parent resolution (stride ``2**(depth-1)``).

    Args:
        in_channels: channels of the last two stages ``(c_{-2}, c_{-1})``.
        dim: output width (the text embedding width for LSCD).

    Shapes:
        ``[..., (B, c_{-2}, h, w), (B, c_{-1}, h/2, w/2)]`` -> ``(B, dim, h, w)``.

    Example:
        >>> head = EmbeddingHead((8, 16), 4)
        >>> tuple(head([torch.zeros(1, 8, 4, 4), torch.zeros(1, 16, 2, 2)]).shape)
        (1, 4, 4, 4)
    """

    def __init__(self, in_channels: tuple[int, int], dim: int) -> None:
        super().__init__()
        hidden = max(in_channels)
        self.mix = nn.Sequential(
            nn.Conv2d(sum(in_channels), hidden, 3, padding=1, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU(),
            nn.Conv2d(hidden, dim, 1),
        )

    def forward(self, features: list[Tensor]) -> Tensor:
        a, b = features[-2], features[-1]
        b = F.interpolate(b, size=a.shape[-2:], mode="bilinear", align_corners=False)
        return self.mix(torch.cat([a, b], dim=1))
