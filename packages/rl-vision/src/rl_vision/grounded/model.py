"""The grounded model: a character sentence encoder and an image encoder sharing one space.

Example:
    >>> model = GroundedModel(GroundedConfig(hidden=8, depth=3))
    >>> tuple(model.encode_text(["a red car", "a tree"]).shape)
    (2, 16)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from torch import Tensor, nn

from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.image_encoder import ImageEncoder

__all__ = ["GroundedConfig", "GroundedModel"]


@dataclass
class GroundedConfig:
    """Hyper-parameters of the grounded model and the autoencoder baseline.

    ``checkpoint_every`` is the number of steps between checkpoints when training into a
    folder (0: only at the end).
    """

    steps: int = 600
    batch_size: int = 32
    lr: float = 2e-3
    num_scenes: int = 1000
    captions_per_scene: int = 5
    size: int = 64
    hidden: int = 128
    dim: int = 256
    margin: float = 0.2
    encoder: str = "resnet18"
    depth: int = 4
    seed: int = 0
    checkpoint_every: int = 100


class GroundedModel(nn.Module):
    """Character sentence encoder and image encoder sharing one space.

    Args:
        config: sizes of the encoders (``hidden``, ``encoder``, ``depth``).
        vocab: the character vocabulary (default :class:`CharVocab`).
    """

    def __init__(self, config: GroundedConfig, vocab: CharVocab | None = None) -> None:
        super().__init__()
        self.vocab = vocab or CharVocab()
        self.sentences = CharSentenceEncoder(len(self.vocab), hidden=config.hidden)
        self.images = ImageEncoder(self.sentences.dim, config.encoder, config.depth)

    def encode_text(self, texts: Sequence[str]) -> Tensor:
        return self.sentences(*self.vocab.encode_batch(list(texts)))
