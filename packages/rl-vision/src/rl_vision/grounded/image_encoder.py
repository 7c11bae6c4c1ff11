"""Image side of the grounded model: an smp encoder, global pooling, linear map, L2 norm.

Merkx & Frank use frozen ImageNet ResNet features; no pretrained weights can be loaded
here, so the smp encoder (``weights=None``) is trained with the sentence encoder.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393

Example:
    >>> import torch
    >>> enc = ImageEncoder(dim=8, encoder_name="resnet18", depth=3)
    >>> tuple(enc(torch.zeros(2, 3, 32, 32)).shape)
    (2, 8)
"""

from __future__ import annotations

import segmentation_models_pytorch as smp
import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["ImageEncoder"]


class ImageEncoder(nn.Module):
    """``(B, 3, H, W)`` images -> ``(B, dim)`` unit vectors.

    Args:
        dim: width of the common space.
        encoder_name, depth: the smp encoder.

    Shapes:
        - images: (B, 3, H, W)
        - output: (B, dim), unit vectors
    """

    def __init__(self, dim: int = 256, encoder_name: str = "resnet18", depth: int = 4) -> None:
        super().__init__()
        self.encoder = smp.encoders.get_encoder(
            encoder_name, in_channels=3, depth=depth, weights=None
        )
        c = self.encoder.out_channels
        self.project = nn.Linear(c[-1] + c[-2], dim)

    def forward(self, images: Tensor) -> Tensor:
        feats = self.encoder(images)
        pooled = [feats[-1].mean(dim=(2, 3)), feats[-2].amax(dim=(2, 3))]
        return F.normalize(self.project(F.relu(torch.cat(pooled, dim=1))), dim=-1)
