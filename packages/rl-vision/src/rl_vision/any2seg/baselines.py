"""Baselines: early fusion (smp ``Unet`` on concatenated channels) and single-modality Unets.

Missing modalities are zero-filled, so an early-fusion model accepts any subset of its
modalities; a single-modality model is early fusion over one modality.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024 (early fusion of all modalities, like the paper's CMNeXt comparison).
    https://arxiv.org/abs/2407.11351
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023 (CMNeXt).
    https://arxiv.org/abs/2303.01480

Example:
    >>> import torch
    >>> model = EarlyFusionUnet(4, {"rgb": 3, "depth": 1}, encoder_name="resnet18", depth=3).eval()
    >>> tuple(model({"depth": torch.zeros(1, 1, 32, 32)}).logits.shape)
    (1, 4, 32, 32)
"""

from __future__ import annotations

from collections.abc import Mapping

import segmentation_models_pytorch as smp
import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_vision.any2seg.encoders import check_inputs
from rl_vision.any2seg.model import _DECODER, SegOutput

__all__ = ["EarlyFusionUnet"]


class EarlyFusionUnet(nn.Module):
    """``smp.Unet`` on the channel concatenation of ``modalities`` (absent ones zero-filled).

    Args:
        num_classes: output classes.
        modalities: modality name -> channels, in concatenation order.
        encoder_name, depth: the smp encoder (``encoder_weights=None``).

    Shapes:
        - inputs: ``{m: (B, C_m, H, W)}`` for any non-empty subset of ``modalities``, all
          with the same ``B``, ``H`` and ``W`` (``H`` and ``W`` divisible by ``2**depth``)
        - output: a :class:`~rl_vision.any2seg.model.SegOutput` with logits
          (B, num_classes, H, W) and no embeddings (``{}``)
    """

    def __init__(
        self,
        num_classes: int,
        modalities: Mapping[str, int],
        encoder_name: str = "resnet18",
        depth: int = 4,
    ) -> None:
        super().__init__()
        self.modalities = dict(modalities)
        self.unet = smp.Unet(
            encoder_name,
            encoder_depth=depth,
            encoder_weights=None,
            in_channels=sum(self.modalities.values()),
            classes=num_classes,
            decoder_channels=_DECODER[:depth],
        )

    def forward(self, inputs: Mapping[str, Tensor], **_: object) -> SegOutput:
        usable = {m: x for m, x in inputs.items() if m in self.modalities}
        if not usable:
            raise BadInput(
                f"none of the given modalities {sorted(inputs)} is used by this model "
                f"({', '.join(self.modalities)})"
            )
        check_inputs(usable, self.modalities)
        ref = next(iter(usable.values()))
        b, _c, h, w = ref.shape
        x = torch.cat(
            [usable.get(m, ref.new_zeros(b, c, h, w)) for m, c in self.modalities.items()], dim=1
        )
        return SegOutput(self.unet(x), {})
