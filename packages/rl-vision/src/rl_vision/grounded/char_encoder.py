"""Character-level sentence encoder: bi-GRU over characters with attention pooling.

No word embeddings and no lexicon: a sentence is its sequence of characters. A
bidirectional GRU reads the character embeddings; a learned attention (two-layer MLP
scoring each time step, softmax over the real characters) pools the states into one
vector, which is L2-normalised. Merkx & Frank train it together with an image encoder
into a common space (visually grounded); here the same encoder also serves the
autoencoder baseline.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded
    language without lexical knowledge", Natural Language Engineering 2019, arXiv:1903.11393.

Example:
    >>> import torch
    >>> vocab = CharVocab()
    >>> ids, lengths = vocab.encode_batch(["a red car", "a tree"])
    >>> enc = CharSentenceEncoder(len(vocab), hidden=16)
    >>> tuple(enc(ids, lengths).shape)
    (2, 32)
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rl_shared.errors import BadInput

__all__ = ["CharSentenceEncoder", "CharVocab"]

_ALPHABET = " abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'\"-()&/%$"


class CharVocab:
    """Lower-cased characters -> ids (0 pad, 1 unknown, 2 start, 3 end, then the alphabet).

    Args:
        alphabet: the known characters; the ``i``-th gets id ``i + 4``.
        max_length: sentences are cut to this many characters.

    Example:
        >>> CharVocab().encode("Ab~")
        [5, 6, 1]
        >>> vocab = CharVocab("ab", max_length=3)
        >>> len(vocab), vocab.encode("abba"), vocab.decode([4, 5, 1])
        (6, [4, 5, 5], 'ab')
    """

    PAD, UNK, BOS, EOS = 0, 1, 2, 3

    def __init__(self, alphabet: str = _ALPHABET, max_length: int = 200) -> None:
        self.alphabet = alphabet
        self.index = {c: i + 4 for i, c in enumerate(alphabet)}
        self.max_length = max_length

    def __len__(self) -> int:
        return len(self.alphabet) + 4

    def encode(self, text: str) -> list[int]:
        return [self.index.get(c, self.UNK) for c in text.lower()[: self.max_length]]

    def decode(self, ids: Sequence[int]) -> str:
        inv = {i: c for c, i in self.index.items()}
        return "".join(inv.get(int(i), "") for i in ids)

    def encode_batch(self, texts: Sequence[str]) -> tuple[Tensor, Tensor]:
        """Padded ids ``(B, T)`` and lengths ``(B,)`` (empty strings become one unknown)."""
        if len(texts) == 0:
            raise BadInput("cannot encode an empty list of sentences")
        seqs = [self.encode(t) or [self.UNK] for t in texts]
        lengths = torch.tensor([len(s) for s in seqs])
        ids = torch.zeros(len(seqs), int(lengths.max()), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
        return ids, lengths


class CharSentenceEncoder(nn.Module):
    """Bi-GRU over character embeddings, attention pooling, L2 normalisation.

    Args:
        vocab_size: number of character ids.
        char_dim: character embedding width.
        hidden: GRU width per direction (output is ``2 * hidden``).
        layers: GRU layers.

    Shapes:
        ids ``(B, T)``, lengths ``(B,)`` -> ``(B, 2 * hidden)``.
    """

    def __init__(
        self, vocab_size: int, char_dim: int = 32, hidden: int = 128, layers: int = 1
    ) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, char_dim, padding_idx=0)
        self.rnn = nn.GRU(char_dim, hidden, num_layers=layers, batch_first=True, bidirectional=True)
        self.attention = nn.Sequential(
            nn.Linear(2 * hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1)
        )
        self.dim = 2 * hidden

    def states(self, ids: Tensor, lengths: Tensor) -> Tensor:
        """GRU states ``(B, T, 2 * hidden)`` (zeros past each length)."""
        packed = pack_padded_sequence(
            self.embed(ids), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        out, _ = self.rnn(packed)
        return pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])[0]

    def forward(self, ids: Tensor, lengths: Tensor) -> Tensor:
        h = self.states(ids, lengths)
        scores = self.attention(h).squeeze(-1)
        mask = torch.arange(ids.shape[1], device=ids.device)[None] < lengths.to(ids.device)[:, None]
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)
        return F.normalize((weights.unsqueeze(-1) * h).sum(1), dim=-1)
