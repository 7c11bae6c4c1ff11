"""Any2Seg: a modality-agnostic segmenter for any subset of modalities, on smp parts.

A :class:`~rl_vision.any2seg.encoders.ModalityEncoder` (smp encoder, modality stems and
embeddings) encodes each present modality; at every encoder stage the modalities are fused
by MFF (:class:`~rl_vision.any2seg.fusion.ModalityAgnosticFusion`, or
:class:`~rl_vision.any2seg.fusion.MeanFusion` for the ablation); smp's ``UnetDecoder`` and
``SegmentationHead`` decode the fused pyramid. An :class:`EmbeddingHead` projects each
modality's features into the text space for LSCD.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation
    from Any Modalities" (Any2Seg), ECCV 2024, arXiv:2407.11351.

Example:
    >>> import torch
    >>> model = Any2Seg(5, {"rgb": 3, "depth": 1}, encoder_name="resnet18", depth=3, embed_dim=8).eval()
    >>> out = model({"rgb": torch.zeros(1, 3, 32, 32)})
    >>> tuple(out.logits.shape), tuple(out.embeddings["rgb"].shape)
    ((1, 5, 32, 32), (1, 8, 8, 8))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from segmentation_models_pytorch.base import SegmentationHead
from segmentation_models_pytorch.decoders.unet.decoder import UnetDecoder
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_vision.any2seg.encoders import ModalityEncoder
from rl_vision.any2seg.fusion import MeanFusion, ModalityAgnosticFusion
from rl_vision.any2seg.heads import EmbeddingHead

__all__ = ["Any2Seg", "SegOutput"]

_DECODER = (128, 64, 32, 16, 16)


@dataclass
class SegOutput:
    """Logits ``(B, K, H, W)`` and per-modality embeddings ``{m: (B, D, h, w)}``.

    Attributes:
        logits: class scores at the input resolution.
        embeddings: LSCD embeddings of each present modality (empty when the model is
            called with ``embeddings=False``).

    Shapes:
        logits ``(B, K, H, W)``; embeddings ``{m: (B, D, h, w)}``.

    Example:
        >>> import torch
        >>> model = Any2Seg(3, {"rgb": 3}, encoder_name="resnet18", depth=3, embed_dim=4).eval()
        >>> out = model({"rgb": torch.zeros(1, 3, 32, 32)}, embeddings=False)
        >>> type(out).__name__, tuple(out.logits.shape), out.embeddings
        ('SegOutput', (1, 3, 32, 32), {})
    """

    logits: Tensor
    embeddings: dict[str, Tensor]


class Any2Seg(nn.Module):
    """Segment from any non-empty subset of ``modalities``.

    Args:
        num_classes: output classes ``K``.
        modalities: modality name -> channels.
        encoder_name: smp encoder (``weights=None``; nothing is downloaded).
        depth: encoder depth (3 to 5).
        fusion: ``"mff"`` or ``"mean"`` (ablation without MFF).
        embed_dim: width of the LSCD embeddings (the text model's width).
        shared_encoder: one modality-embedded encoder for all modalities, or one smp
            encoder per modality (default). With one shared encoder its BatchNorm statistics
            mix all modalities, which we measured to hurt single-modality inference badly
            (event-only mIoU 0.04 vs 0.34 after 300 steps at 48x48), so per-modality
            encoders are the default; the fusion, decoder and LSCD are the same.

    Shapes:
        - inputs: ``{m: (B, C_m, H, W)}`` for any non-empty subset of ``modalities``, all
          with the same ``B``, ``H`` and ``W``
        - output: a :class:`SegOutput` with logits (B, K, H, W) and, unless
          ``embeddings=False``, ``{m: (B, embed_dim, h, w)}`` for each given modality, at
          stride ``2**(depth-1)`` (``h = H / 2**(depth-1)`` for ``H`` divisible by ``2**depth``)
    """

    def __init__(
        self,
        num_classes: int,
        modalities: Mapping[str, int],
        encoder_name: str = "resnet18",
        depth: int = 4,
        fusion: str = "mff",
        embed_dim: int = 384,
        shared_encoder: bool = False,
    ) -> None:
        super().__init__()
        if fusion not in ("mff", "mean"):
            raise BadInput(f"fusion must be 'mff' or 'mean', got '{fusion}'")
        if not 3 <= depth <= 5:
            raise BadInput(f"encoder depth must be 3 to 5, got {depth}")
        self.encoder = ModalityEncoder(modalities, encoder_name, depth, shared=shared_encoder)
        channels = self.encoder.out_channels
        make = ModalityAgnosticFusion if fusion == "mff" else MeanFusion
        self.fusions = nn.ModuleList([make(c) for c in channels[1:]])
        self.decoder = UnetDecoder(channels, _DECODER[:depth], n_blocks=depth)
        self.head = SegmentationHead(_DECODER[depth - 1], num_classes, kernel_size=3)
        self.embedding_head = EmbeddingHead((channels[-2], channels[-1]), embed_dim)
        self.modalities = dict(modalities)

    def forward(self, inputs: Mapping[str, Tensor], *, embeddings: bool = True) -> SegOutput:
        feats = self.encoder(inputs)
        names = list(feats)
        first = feats[names[0]][0]
        fused = [first.new_zeros(first.shape)]  # stage 0 is the input, unused by the decoder
        for s, fuse in enumerate(self.fusions, start=1):
            fused.append(fuse([feats[m][s] for m in names]))
        logits = self.head(self.decoder(fused))
        emb = {m: self.embedding_head(feats[m]) for m in names} if embeddings else {}
        return SegOutput(logits, emb)
