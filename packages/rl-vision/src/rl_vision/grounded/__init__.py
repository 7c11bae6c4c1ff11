"""Visually grounded character-level sentence representations (Merkx & Frank)."""

from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.image_encoder import ImageEncoder

__all__ = ["CharSentenceEncoder", "CharVocab", "ImageEncoder"]
