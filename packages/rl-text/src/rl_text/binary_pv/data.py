"""Tokenised documents, a vocabulary and the negative-sampling table for PV-DBOW training.

References:
    Grzegorczyk & Kurdziel, "Binary Paragraph Vectors", RepL4NLP 2017.
    https://arxiv.org/abs/1611.01116
    Le & Mikolov, "Distributed Representations of Sentences and Documents", ICML 2014 (PV-DBOW).

Example:
    >>> corpus = Corpus.build(["the cat sat", "the dog sat"], min_count=1)
    >>> corpus.vocab[:2], corpus.docs[0].tolist()
    (['sat', 'the'], [1, 2, 0])
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rl_shared.errors import BadInput

__all__ = ["Corpus", "tokenize"]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens.

    Args:
        text: raw text; words may keep one apostrophe suffix (``"man's"``).

    Example:
        >>> tokenize("A man's guitar, 2 dogs!")
        ['a', "man's", 'guitar', '2', 'dogs']
    """
    return _TOKEN.findall(text.lower())


@dataclass
class Corpus:
    """Documents as arrays of word ids over a frequency-sorted vocabulary.

    Args:
        vocab: words, most frequent first (ties alphabetical).
        counts: corpus frequency of each word.
        docs: word ids of each document (words out of the vocabulary dropped).

    Example:
        >>> c = Corpus.build(["the cat sat", "the dog sat"], min_count=1)
        >>> c.vocab, len(c.docs)
        (['sat', 'the', 'cat', 'dog'], 2)
    """

    vocab: list[str]
    counts: np.ndarray
    docs: list[np.ndarray]

    @classmethod
    def build(cls, texts: Sequence[str], min_count: int = 2) -> Corpus:
        """Tokenise ``texts`` and keep words seen at least ``min_count`` times."""
        tokens = [tokenize(t) for t in texts]
        freq = Counter(w for doc in tokens for w in doc)
        vocab = sorted((w for w, c in freq.items() if c >= min_count), key=lambda w: (-freq[w], w))
        if not vocab:
            raise BadInput(f"no word occurs at least {min_count} times; lower min_count")
        corpus = cls(vocab, np.array([freq[w] for w in vocab], dtype=np.int64), [])
        corpus.docs = corpus.encode(texts, tokens)
        return corpus

    @property
    def index(self) -> dict[str, int]:
        """Word → id."""
        if not hasattr(self, "_index"):
            self._index = {w: i for i, w in enumerate(self.vocab)}
        return self._index

    def encode(
        self, texts: Sequence[str], tokens: list[list[str]] | None = None
    ) -> list[np.ndarray]:
        """Word ids of new texts (unknown words dropped)."""
        tokens = tokens if tokens is not None else [tokenize(t) for t in texts]
        ix = self.index
        return [np.array([ix[w] for w in doc if w in ix], dtype=np.int64) for doc in tokens]

    def noise(self, power: float = 0.75) -> np.ndarray:
        """Negative-sampling distribution: unigram frequency to the ``power``, normalised."""
        p = self.counts.astype(np.float64) ** power
        return p / p.sum()

    def pairs(self, docs: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every ``(document index, word id)`` occurrence, as two aligned arrays."""
        docs = self.docs if docs is None else docs
        doc_ids = np.concatenate([np.full(len(d), i, dtype=np.int64) for i, d in enumerate(docs)])
        words = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        return doc_ids, words
