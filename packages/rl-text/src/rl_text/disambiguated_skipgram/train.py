"""Windows, frequent-word subsampling and the training loop of the Disambiguated Skip-gram.

References:
    Grzegorczyk & Kurdziel, "Disambiguated skip-gram model", EMNLP 2018, pp. 1445–1454.
    Mikolov et al., "Distributed Representations of Words and Phrases and their Compositionality",
    NeurIPS 2013 (frequent-word subsampling, negative sampling). https://arxiv.org/abs/1310.4546

Example:
    >>> import numpy as np
    >>> c, x, m = context_windows([np.array([0, 1, 2]), np.array([3, 4])], window=1)
    >>> c.tolist(), x.tolist(), m.tolist()
    ([0, 1, 2, 3, 4], [[0, 1], [0, 2], [1, 0], [0, 4], [3, 0]], [[0, 1], [1, 1], [1, 0], [0, 1], [1, 0]])
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_text.binary_pv.train import rank_rows
from rl_text.disambiguated_skipgram.model import DisambiguatedSkipGram

__all__ = ["context_windows", "sense_usage", "subsample", "train_skipgram"]


def context_windows(
    sentences: list[np.ndarray], window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centers ``(N,)``, context ids ``(N, 2·window)`` and their 0/1 mask (no cross-sentence).

    Padded context slots hold id 0 with mask 0.

    Args:
        sentences: word ids of each sentence.
        window: context words on each side.

    Shapes:
        -> centers ``(N,)``, context ``(N, 2·window)``, mask ``(N, 2·window)``.

    Example:
        >>> c, x, m = context_windows([np.array([5, 6, 7])], window=1)
        >>> c.tolist(), x.tolist(), m.tolist()
        ([5, 6, 7], [[0, 6], [5, 7], [6, 0]], [[0, 1], [1, 1], [1, 0]])
    """
    if window < 1:
        raise BadInput(f"window must be at least 1, got {window}")
    tokens = np.concatenate(sentences) if sentences else np.zeros(0, dtype=np.int64)
    sent = (
        np.concatenate([np.full(len(s), i) for i, s in enumerate(sentences)])
        if sentences
        else tokens
    )
    n = len(tokens)
    offsets = [o for o in range(-window, window + 1) if o]
    ctx = np.zeros((n, len(offsets)), dtype=np.int64)
    mask = np.zeros((n, len(offsets)), dtype=np.int64)
    pos = np.arange(n)
    for j, o in enumerate(offsets):
        other = pos + o
        ok = (other >= 0) & (other < n)
        ok[ok] &= sent[other[ok]] == sent[pos[ok]]
        ctx[ok, j] = tokens[other[ok]]
        mask[ok, j] = 1
    return tokens, ctx, mask


def subsample(
    sentences: list[np.ndarray], counts: np.ndarray, rng: np.random.Generator, t: float = 1e-4
) -> list[np.ndarray]:
    """Drop each token of word ``w`` with probability ``1 - sqrt(t / f_w)`` (Mikolov et al.).

    Args:
        sentences: word ids of each sentence.
        counts: frequency of each word id.
        rng: the generator that decides.
        t: the threshold.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> [s.tolist() for s in subsample([np.array([0, 0, 1])], np.array([1, 1]), rng, t=1.0)]
        [[0, 0, 1]]
    """
    freq = counts / counts.sum()
    keep = np.minimum(1.0, np.sqrt(t / np.maximum(freq, 1e-12)))
    return [s[rng.random(len(s)) < keep[s]] for s in sentences]


class _SkipGramLoss(nn.Module):
    """The model's loss as ``forward``, so DDP syncs the gradients of its tables."""

    def __init__(self, model: DisambiguatedSkipGram) -> None:
        super().__init__()
        self.model = model

    def forward(self, center: Tensor, context: Tensor, negatives: Tensor, mask: Tensor) -> Tensor:
        return self.model.loss(center, context, negatives, mask)


def train_skipgram(
    model: DisambiguatedSkipGram,
    sentences: list[np.ndarray],
    counts: np.ndarray,
    *,
    epochs: int = 5,
    window: int = 3,
    negatives: int = 5,
    batch_size: int = 1024,
    lr: float = 0.01,
    sample: float = 1e-4,
    seed: int = 0,
    show_progress: bool = False,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> list[float]:
    """Train by backpropagation (SparseAdam if the model's tables are sparse, else Adam).

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process draws the same subsample, shuffle and negatives (the same ``seed``) and
    trains on its contiguous part of each batch
    (:func:`rl_text.binary_pv.train.rank_rows`); DDP averages the gradients (sparse ones
    too: gloo all-reduces sparse tensors), so a step is the one-process step on the batch
    (``batch_size`` is the global batch); the losses are averaged over the processes.

    Args:
        model: the model, trained in place (it ends on the device it started on).
        sentences: word ids of each sentence.
        counts: frequency of each word id (noise distribution, subsampling).
        epochs: passes over the (re-subsampled) corpus.
        window: context words on each side.
        negatives: noise words per context word.
        batch_size: occurrences per step.
        lr: learning rate.
        sample: subsampling threshold (:func:`subsample`); 0 keeps every token.
        seed: seeds the sampling (and Python, NumPy and torch).
        show_progress: a progress bar over epochs (stderr, main process only).
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where the loop computes.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the loss.

    Returns:
        the mean loss of each epoch.

    Raises:
        BadInput: ``epochs < 1``, no context left, an unavailable device or precision.
        NonFiniteLoss: the loss became NaN or infinite.

    Example:
        >>> import numpy as np
        >>> model = DisambiguatedSkipGram(4, dim=8, senses=2)
        >>> sentences = [np.array([0, 1, 2, 3]), np.array([3, 2, 1, 0])] * 8
        >>> len(train_skipgram(model, sentences, np.array([8, 8, 8, 8]), epochs=2, sample=0))
        2
    """
    from rl_shared.cli import progress
    from rl_shared.runtime import make_accelerator, seed_everything

    if epochs < 1:
        raise BadInput(f"epochs must be at least 1, got {epochs}")
    acc = make_accelerator(str(device), precision)
    seed_everything(seed)
    rng = np.random.default_rng(seed)
    noise = counts.astype(np.float64) ** 0.75
    cdf = np.cumsum(noise / noise.sum())
    sparse = model.sense.sparse
    home = next(model.parameters()).device
    opt = (torch.optim.SparseAdam if sparse else torch.optim.Adam)(list(model.parameters()), lr=lr)
    net, opt = acc.prepare(_SkipGramLoss(model), opt)
    world, rank = acc.num_processes, acc.process_index
    history = []
    quiet = not (show_progress and acc.is_main_process)
    for _ in progress(quiet)(range(epochs), "skip-gram"):
        kept = subsample(sentences, counts, rng, sample) if sample else sentences
        centers, ctx, mask = context_windows(kept, window)
        useful = mask.sum(1) > 0
        centers, ctx, mask = centers[useful], ctx[useful], mask[useful]
        if len(centers) < world:
            raise BadInput(
                "no word has a context word left after subsampling: give more text or sample=0"
                if len(centers) == 0
                else f"{len(centers)} occurrences cannot be split over {world} processes"
            )
        order = rng.permutation(len(centers))
        total, n = 0.0, 0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            neg = np.searchsorted(cdf, rng.random((len(idx), ctx.shape[1], negatives)))
            neg = np.minimum(neg, len(cdf) - 1)
            part = rank_rows(len(idx), rank, world)
            if part is None:  # the last batch has fewer rows than processes
                continue
            idx, neg = idx[part], neg[part]
            with acc.autocast():
                loss = net(
                    torch.from_numpy(centers[idx]).to(acc.device),
                    torch.from_numpy(ctx[idx]).to(acc.device),
                    torch.from_numpy(neg).to(acc.device),
                    torch.from_numpy(mask[idx]).to(acc.device),
                )
            value = loss.detach() if world == 1 else acc.reduce(loss.detach(), "mean")
            if not torch.isfinite(value):
                raise NonFiniteLoss(
                    f"skip-gram loss became {float(value)}; lower the learning rate"
                )
            opt.zero_grad()
            acc.backward(loss)
            opt.step()
            total += float(value) * len(idx)
            n += len(idx)
        history.append(total / n)
    acc.wait_for_everyone()
    acc.unwrap_model(net).to(home)  # trained in place, back where the caller had it
    return history


@torch.no_grad()
def sense_usage(
    model: DisambiguatedSkipGram,
    sentences: list[np.ndarray],
    window: int = 3,
    batch_size: int = 4096,
) -> np.ndarray:
    """How often each sense is the arg-max sense of an occurrence, ``(V, S)`` counts.

    Args:
        model: a (trained) :class:`DisambiguatedSkipGram`.
        sentences: word ids of each sentence.
        window: context words on each side (as in training).
        batch_size: occurrences per forward pass.

    Shapes:
        -> ``(V, S)`` int64; row ``w`` sums to the number of occurrences of word ``w``.

    Example:
        >>> model = DisambiguatedSkipGram(4, dim=8, senses=2)
        >>> usage = sense_usage(model, [np.array([0, 1, 2, 3]), np.array([3, 3])], window=1)
        >>> usage.shape, usage.sum(1).tolist()
        ((4, 2), [1, 1, 1, 3])
    """
    centers, ctx, mask = context_windows(sentences, window)
    usage = np.zeros((model.vocab_size, model.senses), dtype=np.int64)
    where = next(model.parameters()).device  # computed on the model's device
    for start in range(0, len(centers), batch_size):
        sl = slice(start, start + batch_size)
        s = (
            model.induce(
                torch.from_numpy(centers[sl]).to(where),
                torch.from_numpy(ctx[sl]).to(where),
                torch.from_numpy(mask[sl]).to(where),
            )
            .cpu()
            .numpy()
        )
        np.add.at(usage, (centers[sl], s), 1)
    return usage
