"""Per-modality inputs into one smp encoder: modality stems, modality embeddings, shared weights.

Each modality gets a 1x1 convolution (its *stem*) from its own channels to the encoder's
input channels, plus a learned modality embedding added to the stem output, so one
``smp.encoders.get_encoder(..., weights=None)`` encoder serves every modality (the
shared, modality-embedded form Any2Seg's modality-agnostic encoder takes). With
``shared=False`` every modality has its own smp encoder instead. Present modalities are
stacked along the batch and encoded in one pass.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> import torch
    >>> enc = ModalityEncoder({"rgb": 3, "depth": 1}, "resnet18", depth=3)
    >>> feats = enc({"depth": torch.zeros(2, 1, 32, 32)})
    >>> list(feats), [tuple(f.shape) for f in feats["depth"]][-1]
    (['depth'], (2, 128, 4, 4))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import segmentation_models_pytorch as smp
import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["ModalityEncoder", "check_inputs"]


def check_inputs(inputs: Mapping[str, Tensor], channels: Mapping[str, int]) -> None:
    """Raise a clear error for unknown modalities, wrong channels or mismatched shapes.

    Args:
        inputs: modality -> input batch, non-empty.
        channels: modality -> channels the model expects.

    Raises:
        BadInput: no inputs, or a modality the model does not know.
        ShapeMismatch: a tensor that is not ``(B, C_m, H, W)``, or modalities that differ in
            batch or image size.

    Shapes:
        inputs ``{m: (B, C_m, H, W)}``, all with the same ``B``, ``H`` and ``W``.

    Example:
        >>> check_inputs({"rgb": torch.zeros(2, 3, 8, 8)}, {"rgb": 3, "depth": 1})
        >>> check_inputs({"depth": torch.zeros(2, 3, 8, 8)}, {"rgb": 3, "depth": 1})
        Traceback (most recent call last):
        ...
        rl_shared.errors.ShapeMismatch: modality 'depth' must be (B, 1, H, W), got (2, 3, 8, 8)
    """
    if not inputs:
        raise BadInput("at least one modality must be given")
    shape = None
    for m, x in inputs.items():
        if m not in channels:
            raise BadInput(f"unknown modality '{m}'; this model knows {', '.join(channels)}")
        if x.dim() != 4 or x.shape[1] != channels[m]:
            raise ShapeMismatch(
                f"modality '{m}' must be (B, {channels[m]}, H, W), got {tuple(x.shape)}"
            )
        if shape is not None and (x.shape[0], *x.shape[2:]) != shape:
            raise ShapeMismatch("all modalities must share batch size and image size")
        shape = (x.shape[0], *x.shape[2:])


class ModalityEncoder(nn.Module):
    """Encode any subset of modalities into per-modality multi-scale features.

    Args:
        modalities: modality name -> input channels.
        encoder_name: an smp encoder name (``"resnet18"``, ``"tu-resnet10t"`` ...).
        depth: encoder depth (stages); the deepest stage has stride ``2**depth``.
        shared: one encoder for all modalities (default) or one per modality.

    Shapes:
        inputs ``{m: (B, C_m, H, W)}`` -> ``{m: [(B, c_s, H / 2**s, W / 2**s) for s in 0..depth]}``.
    """

    def __init__(
        self,
        modalities: Mapping[str, int],
        encoder_name: str = "resnet18",
        depth: int = 4,
        shared: bool = True,
    ) -> None:
        super().__init__()
        self.channels = dict(modalities)
        self.shared = shared
        if shared:
            self.stems = nn.ModuleDict({m: nn.Conv2d(c, 3, 1) for m, c in self.channels.items()})
            self.modality_embedding = nn.Parameter(torch.zeros(len(self.channels), 3, 1, 1))
            nn.init.normal_(self.modality_embedding, std=0.5)
            self.encoder = smp.encoders.get_encoder(
                encoder_name, in_channels=3, depth=depth, weights=None
            )
            self.out_channels: list[int] = list(self.encoder.out_channels)
        else:
            self.encoders = nn.ModuleDict(
                {
                    m: smp.encoders.get_encoder(
                        encoder_name, in_channels=c, depth=depth, weights=None
                    )
                    for m, c in self.channels.items()
                }
            )
            first: Any = next(iter(self.encoders.values()))  # an smp encoder
            self.out_channels = list(first.out_channels)

    def forward(self, inputs: Mapping[str, Tensor]) -> dict[str, list[Tensor]]:
        check_inputs(inputs, self.channels)
        names = list(inputs)
        if not self.shared:
            return {m: list(self.encoders[m](inputs[m])) for m in names}
        order = list(self.channels)
        x = torch.cat(
            [self.stems[m](inputs[m]) + self.modality_embedding[order.index(m)] for m in names]
        )
        feats = self.encoder(x)
        b = next(iter(inputs.values())).shape[0]
        return {m: [f[i * b : (i + 1) * b] for f in feats] for i, m in enumerate(names)}
