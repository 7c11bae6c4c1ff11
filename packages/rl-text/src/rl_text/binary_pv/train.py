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
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_text.binary_pv.data import Corpus

if TYPE_CHECKING:
    from rl_text.binary_pv.model import BinaryParagraphVector, RealBinaryParagraphVector

__all__ = ["infer_codes", "rank_rows", "train_pv"]


class _PairLoss(nn.Module):
    """The model's negative-sampling loss as ``forward``, so DDP syncs its gradients.

    ``doc`` replaces the model's document table (inference of new documents' codes).
    """

    def __init__(self, model: nn.Module, doc: nn.Embedding | None = None) -> None:
        super().__init__()
        self.model, self.doc = model, doc

    def forward(self, doc_ids: torch.Tensor, words: torch.Tensor, negatives: torch.Tensor):
        return self.model.loss(doc_ids, words, negatives, doc=self.doc)  # type: ignore[operator]


def rank_rows(n: int, rank: int, world: int) -> slice | None:
    """This process's contiguous, equal part of a global batch of ``n`` rows.

    Every process draws the same global batch (same seed) and trains on its part, so DDP's
    average of the gradients is the one-process gradient of the mean loss over the
    ``world * (n // world)`` rows kept (``n % world`` rows are dropped; ``None`` when
    ``n < world``). In one process the part is the whole batch.

    Args:
        n: rows of the global batch.
        rank: this process's index.
        world: the number of processes.

    Example:
        >>> rank_rows(5, 1, 2), rank_rows(5, 0, 1), rank_rows(1, 0, 2)
        (slice(2, 4, None), slice(0, 5, None), None)
    """
    per = n // world
    if per < 1:
        return None
    return slice(rank * per, (rank + 1) * per)


def _mean_over_ranks(acc: Any, value: torch.Tensor) -> torch.Tensor:
    """``value`` averaged over the processes (itself in one process)."""
    return value if acc.num_processes == 1 else acc.reduce(value, "mean")


def _run(
    acc: Any,
    net: _PairLoss,
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
    """Adam on ``net``'s loss over shuffled (document, word) pairs; the loop of both entry points.

    ``net`` (and the optimizer over ``params``) go through ``acc.prepare``; every process
    draws the same shuffle and negatives and trains on its part of each batch
    (:func:`rank_rows`). ``net`` ends on the device it started on.
    """
    from rl_shared.cli import progress

    if epochs < 1 or batch_size < 1:
        raise BadInput("epochs and batch_size must be positive")
    if len(words) == 0:
        raise BadInput("no (document, word) pairs to train on: the documents have no known words")
    world, rank = acc.num_processes, acc.process_index
    if len(words) < world:
        raise BadInput(
            f"{len(words)} (document, word) pairs cannot be split over {world} processes"
        )
    home = next(net.parameters()).device
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(params, lr=lr)
    model, opt = acc.prepare(net, opt)
    losses = []
    quiet = not (show_progress and acc.is_main_process)
    for _ in progress(quiet)(range(epochs), desc):
        order = rng.permutation(len(words))
        total, n = 0.0, 0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            neg = rng.choice(len(noise), size=(len(idx), negatives), p=noise)
            part = rank_rows(len(idx), rank, world)
            if part is None:  # the last batch has fewer rows than processes
                continue
            idx, neg = idx[part], neg[part]
            with acc.autocast():
                loss = model(
                    torch.from_numpy(doc_ids[idx]).to(acc.device),
                    torch.from_numpy(words[idx]).to(acc.device),
                    torch.from_numpy(neg).to(acc.device),
                )
            value = _mean_over_ranks(acc, loss.detach())  # the kept global batch's loss
            if not torch.isfinite(value):
                raise NonFiniteLoss(
                    f"{desc}: the loss became {float(value)}; lower the learning rate"
                )
            opt.zero_grad()
            acc.backward(loss)
            opt.step()
            total += float(value) * len(idx)
            n += len(idx)
        losses.append(total / n)
    acc.wait_for_everyone()
    acc.unwrap_model(model).to(home)  # trained in place, back where the caller had it
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
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> list[float]:
    """Fit the document codes and word weights; returns the mean loss of each epoch.

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process draws the same shuffle and negatives (the same ``seed``) and trains on
    its contiguous part of each batch (:func:`rank_rows`); DDP averages the gradients, so
    a step is the one-process step on the batch (``batch_size`` is the global batch), and
    the losses are averaged over the processes.

    Args:
        model: a :class:`~rl_text.binary_pv.model.BinaryParagraphVector` or Real-Binary
            model, trained in place (it ends on the device it started on).
        corpus: the training documents (one code per document of ``corpus.docs``).
        epochs, batch_size, negatives, lr: Adam on the negative-sampling loss.
        seed: seeds the sampling (and Python, NumPy and torch).
        show_progress: a progress bar over epochs (stderr, main process only).
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where the loop computes.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the loss.

    Raises:
        BadInput: non-positive sizes, no training pairs, an unavailable device or precision.
        NonFiniteLoss: the loss became NaN or infinite.

    Example:
        >>> from rl_text.binary_pv import BinaryParagraphVector, Corpus
        >>> corpus = Corpus.build(["a cat sat", "a dog sat"] * 4, min_count=1)
        >>> model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=8)
        >>> len(train_pv(model, corpus, epochs=2, batch_size=8))
        2
    """
    from rl_shared.runtime import make_accelerator, seed_everything

    acc = make_accelerator(str(device), precision)
    seed_everything(seed)
    doc_ids, words = corpus.pairs()
    return _run(
        acc,
        _PairLoss(model),
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
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> tuple[torch.Tensor, nn.Embedding]:
    """Codes of new documents: train only their code table, word weights frozen.

    The same loop as :func:`train_pv` (accelerate, every process on its part of each batch).

    Returns:
        ``(binary codes (N, bits) uint8, the inferred table)`` (the table gives real codes
        of a :class:`~rl_text.binary_pv.model.RealBinaryParagraphVector` via ``model.real``),
        on the device the model started on.

    Args:
        model: a trained (Real-)Binary PV model (its weights stay frozen).
        corpus: the training corpus (its vocabulary and noise table).
        texts: the new documents.
        epochs, batch_size, negatives, lr, seed: the inference optimisation.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where the loop computes.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the loss.

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
    from rl_shared.runtime import make_accelerator, seed_everything

    acc = make_accelerator(str(device), precision)
    seed_everything(seed)
    home = next(model.parameters()).device
    table = model.new_doc_table(len(texts)).to(home)
    docs = corpus.encode(texts)
    doc_ids, words = corpus.pairs(docs)
    for p in model.parameters():
        p.requires_grad_(False)
    try:
        if len(words):
            _run(
                acc,
                _PairLoss(model, table),
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
