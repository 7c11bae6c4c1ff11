"""Teachers for LSCD: anything that embeds each modality into a language-aligned space.

:class:`ModalityTeacher` is the interface (a ``typing.Protocol``): ``embed(inputs)`` maps
each given modality's batch to a ``(B, D, h, w)`` embedding in the space of the class
text embeddings. Any2Seg uses LanguageBind's frozen per-modality encoders; LanguageBind's
vision towers cannot be loaded here, so :class:`TrainedTeacher` is trained in the project
on *all* modalities: a modality-embedded smp encoder whose stride-8 embedding of every
modality, taken alone, classifies pixels by cosine similarity with the MiniLM class-prompt
embeddings. Plug LanguageBind (or any multimodal model) in by writing a class with the
same ``embed``.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> import torch
    >>> t = TrainedTeacher({"rgb": 3, "lidar": 1}, torch.randn(4, 16), encoder_name="resnet18", depth=3)
    >>> isinstance(t, ModalityTeacher)
    True
    >>> tuple(t.embed({"lidar": torch.zeros(2, 1, 32, 32)})["lidar"].shape)
    (2, 16, 8, 8)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rl_vision.any2seg.encoders import ModalityEncoder
from rl_vision.any2seg.heads import EmbeddingHead

__all__ = ["ModalityTeacher", "TrainedTeacher"]


@runtime_checkable
class ModalityTeacher(Protocol):
    """A frozen multimodal model whose per-modality embeddings share a space with text."""

    def embed(self, inputs: Mapping[str, Tensor]) -> dict[str, Tensor]:
        """``{m: (B, C_m, H, W)}`` -> ``{m: (B, D, h, w)}`` in the text embedding space."""
        ...


class TrainedTeacher(nn.Module):
    """A language-aligned per-modality teacher trained on all modalities.

    Args:
        modalities: modality name -> channels.
        text: ``(K, D)`` class-prompt text embeddings; the embedding space is theirs.
        encoder_name, depth: the smp encoder.
        shared_encoder: one modality-embedded encoder, or one per modality (default).

    Shapes:
        ``forward(x)`` gives per-modality logits ``(B, K, H, W)``; ``embed`` gives
        ``(B, D, H / 2**(depth-1), W / 2**(depth-1))``.
    """

    def __init__(
        self,
        modalities: Mapping[str, int],
        text: Tensor,
        encoder_name: str = "resnet18",
        depth: int = 4,
        shared_encoder: bool = False,
    ) -> None:
        super().__init__()
        self.encoder = ModalityEncoder(modalities, encoder_name, depth, shared=shared_encoder)
        c = self.encoder.out_channels
        self.head = EmbeddingHead((c[-2], c[-1]), text.shape[1])
        self.register_buffer("text", F.normalize(text.detach().clone().float(), dim=-1))
        self.logit_scale = nn.Parameter(torch.tensor(2.3))

    def embed(self, inputs: Mapping[str, Tensor]) -> dict[str, Tensor]:
        return {m: self.head(f) for m, f in self.encoder(inputs).items()}

    def forward(self, inputs: Mapping[str, Tensor]) -> dict[str, Tensor]:
        """Per-modality text-classifier logits at full resolution."""
        out = {}
        for m, e in self.embed(inputs).items():
            cos = torch.einsum("bdhw,kd->bkhw", F.normalize(e, dim=1), self.text)
            logits = cos * self.logit_scale.exp()
            out[m] = F.interpolate(
                logits, size=inputs[m].shape[-2:], mode="bilinear", align_corners=False
            )
        return out
