"""Train Binary / Real-Binary PV-DBOW, and infer codes for new documents.

References:
    Grzegorczyk & Kurdziel, "Binary Paragraph Vectors", RepL4NLP 2017.
    https://arxiv.org/abs/1611.01116
    Le & Mikolov, "Distributed Representations of Sentences and Documents", ICML 2014 (PV-DBOW).

Example:
    >>> from rl_text.binary_pv import BinaryParagraphVector, Corpus
    >>> corpus = Corpus.build(["a cat sat", "a dog sat", "a cat ran"] * 4, min_count=1)
    >>> model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=8)
    >>> losses = train_pv(model, corpus, epochs=2, batch_size=8)
    >>> infer_codes(model, corpus, ["a cat"], epochs=2)[0].shape
    torch.Size([1, 8])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_text.binary_pv.data import Corpus

if TYPE_CHECKING:
    from rl_text.binary_pv.model import BinaryParagraphVector, RealBinaryParagraphVector

__all__ = ["infer_codes", "train_pv"]


def _run(
    loss_fn,
    params: list[nn.Parameter],
    doc_ids: np.ndarray,
    words: np.ndarray,
    noise: np.ndarray,
    epochs: int,
    batch_size: int,
    negatives: int,
    lr: float,
    seed: int,
    show_progress: bool,
    desc: str,
) -> list[float]:
    from rl_shared.cli import progress

    if epochs < 1 or batch_size < 1:
        raise BadInput("epochs and batch_size must be positive")
    if len(words) == 0:
        raise BadInput("no (document, word) pairs to train on: the documents have no known words")
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(params, lr=lr)
    losses = []
    for _ in progress(not show_progress)(range(epochs), desc):
        order = rng.permutation(len(words))
        total, n = 0.0, 0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            neg = rng.choice(len(noise), size=(len(idx), negatives), p=noise)
            loss = loss_fn(
                torch.from_numpy(doc_ids[idx]), torch.from_numpy(words[idx]), torch.from_numpy(neg)
            )
            if not torch.isfinite(loss):
                raise NonFiniteLoss(
                    f"{desc}: the loss became {float(loss)}; lower the learning rate"
                )
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            n += len(idx)
        losses.append(total / n)
    return losses


def train_pv(
    model: nn.Module,
    corpus: Corpus,
    *,
    epochs: int = 10,
    batch_size: int = 512,
    negatives: int = 5,
    lr: float = 0.01,
    seed: int = 0,
    show_progress: bool = False,
) -> list[float]:
    """Fit the document codes and word weights; returns the mean loss of each epoch.

    Args:
        model: a :class:`~rl_text.binary_pv.model.BinaryParagraphVector` or Real-Binary model.
        corpus: the training documents (one code per document of ``corpus.docs``).
        epochs, batch_size, negatives, lr: Adam on the negative-sampling loss.
        seed: seeds the sampling (and Python, NumPy and torch).
        show_progress: a progress bar over epochs (stderr).

    Example:
        >>> from rl_text.binary_pv import BinaryParagraphVector, Corpus
        >>> corpus = Corpus.build(["a cat sat", "a dog sat"] * 4, min_count=1)
        >>> model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=8)
        >>> len(train_pv(model, corpus, epochs=2, batch_size=8))
        2
    """
    from rl_shared.runtime import seed_everything

    seed_everything(seed)
    doc_ids, words = corpus.pairs()
    return _run(
        model.loss,
        list(model.parameters()),
        doc_ids,
        words,
        corpus.noise(),
        epochs,
        batch_size,
        negatives,
        lr,
        seed,
        show_progress,
        "pv-dbow",
    )


def infer_codes(
    model: BinaryParagraphVector | RealBinaryParagraphVector,
    corpus: Corpus,
    texts: Sequence[str],
    *,
    epochs: int = 10,
    batch_size: int = 512,
    negatives: int = 5,
    lr: float = 0.01,
    seed: int = 0,
) -> tuple[torch.Tensor, nn.Embedding]:
    """Codes of new documents: train only their code table, word weights frozen.

    Returns:
        ``(binary codes (N, bits) uint8, the inferred table)`` (the table gives real codes
        of a :class:`~rl_text.binary_pv.model.RealBinaryParagraphVector` via ``model.real``).

    Args:
        model: a trained (Real-)Binary PV model (its weights stay frozen).
        corpus: the training corpus (its vocabulary and noise table).
        texts: the new documents.
        epochs, batch_size, negatives, lr, seed: the inference optimisation.

    Shapes:
        - output: ``(codes, table)``; codes (N, bits) uint8 for ``N = len(texts)``; the table
          an ``nn.Embedding`` of weight (N, bits) for Binary PV, (N, dim) for Real-Binary PV

    Example:
        >>> from rl_text.binary_pv import BinaryParagraphVector, Corpus
        >>> corpus = Corpus.build(["a cat sat", "a dog sat"] * 2, min_count=1)
        >>> model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=8)
        >>> infer_codes(model, corpus, ["a cat"], epochs=1)[0].shape
        torch.Size([1, 8])
    """
    from rl_shared.runtime import seed_everything

    seed_everything(seed)
    table = model.new_doc_table(len(texts))
    docs = corpus.encode(texts)
    doc_ids, words = corpus.pairs(docs)
    for p in model.parameters():
        p.requires_grad_(False)
    try:
        if len(words):
            _run(
                lambda d, w, n: model.loss(d, w, n, doc=table),
                list(table.parameters()),
                doc_ids,
                words,
                corpus.noise(),
                epochs,
                batch_size,
                negatives,
                lr,
                seed,
                False,
                "infer",
            )
    finally:
        for p in model.parameters():
            p.requires_grad_(True)
    return model.codes(table), table
