"""Baseline: the same character encoder trained only on captions, as a sequence autoencoder.

A GRU decoder, started from the sentence vector, reconstructs the caption character by
character (teacher forcing, cross-entropy). It sees the same captions as the grounded
model but no images, which isolates what visual grounding adds.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393

Example:
    >>> import torch
    >>> from rl_vision.grounded.char_encoder import CharVocab
    >>> vocab = CharVocab(); ids, lengths = vocab.encode_batch(["a car", "a red tree"])
    >>> model = CharAutoencoder(len(vocab), hidden=16)
    >>> bool(model.loss(ids, lengths) > 0)
    True
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab

__all__ = ["CharAutoencoder", "reconstruction_targets"]


def reconstruction_targets(ids: Tensor, lengths: Tensor) -> Tensor:
    """What the decoder predicts at each position: the characters, then EOS, then pads (0).

    Args:
        ids: padded character ids (0: pad).
        lengths: characters in each row.

    Shapes:
        ids ``(B, L)``, lengths ``(B,)`` -> ``(B, L + 1)``.

    Example:
        >>> ids, lengths = CharVocab().encode_batch(["ab", "a"])
        >>> int((reconstruction_targets(ids, lengths) != 0).sum())  # 2 + 1 characters, 2 EOS
        5
    """
    b = ids.shape[0]
    target = torch.cat([ids, torch.zeros(b, 1, dtype=torch.long, device=ids.device)], dim=1)
    target[torch.arange(b, device=ids.device), lengths.to(ids.device)] = CharVocab.EOS
    return target


class CharAutoencoder(nn.Module):
    """Character encoder + GRU decoder reconstructing the input.

    Args:
        vocab_size, char_dim, hidden: as :class:`CharSentenceEncoder`.

    Shapes:
        ``forward`` / :meth:`loss`: ids ``(B, L)``, lengths ``(B,)`` -> a scalar.
    """

    def __init__(self, vocab_size: int, char_dim: int = 32, hidden: int = 128) -> None:
        super().__init__()
        self.encoder = CharSentenceEncoder(vocab_size, char_dim, hidden)
        self.embed = nn.Embedding(vocab_size, char_dim, padding_idx=0)
        self.init = nn.Linear(self.encoder.dim, 2 * hidden)
        self.decoder = nn.GRU(char_dim, 2 * hidden, batch_first=True)
        self.out = nn.Linear(2 * hidden, vocab_size)

    def loss(self, ids: Tensor, lengths: Tensor, reduction: str = "mean") -> Tensor:
        """Reconstruction cross-entropy per character (pads ignored).

        Args:
            ids: padded character ids ``(B, L)``.
            lengths: characters in each row ``(B,)``.
            reduction: ``mean`` over the predicted characters (and EOS), or their ``sum``.
        """
        z = self.encoder(ids, lengths)
        b = ids.shape[0]
        bos = torch.full((b, 1), CharVocab.BOS, dtype=torch.long, device=ids.device)
        inp = torch.cat([bos, ids], dim=1)
        target = reconstruction_targets(ids, lengths)
        h0 = torch.tanh(self.init(z))[None]
        out, _ = self.decoder(self.embed(inp), h0)
        return F.cross_entropy(
            self.out(out).flatten(0, 1), target.flatten(), ignore_index=0, reduction=reduction
        )

    def forward(self, ids: Tensor, lengths: Tensor, reduction: str = "mean") -> Tensor:
        """:meth:`loss` (the training step calls the model, so DDP syncs the gradients)."""
        return self.loss(ids, lengths, reduction)
