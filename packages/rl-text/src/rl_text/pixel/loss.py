"""The training step's loss: symmetric InfoNCE over a global batch shared by the processes.

Every process draws the same global batch of positive pairs (same seed), renders and
encodes its contiguous share (:func:`rank_share`), and the embeddings of all ranks are
gathered as in-batch negatives (:func:`rl_shared.losses.distributed.gather_with_grad`),
so ``N`` processes optimise the loss of the batch that one process would see.

References:
    Xiao et al., "Pixel Sentence Representation Learning", arXiv:2402.08183, §3.
    van den Oord et al., "Representation Learning with Contrastive Predictive Coding",
    arXiv:1807.03748 (InfoNCE).

Example:
    >>> x = torch.eye(4)
    >>> round(float(symmetric_info_nce(x, x, temperature=1.0)), 4)
    0.7437
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import torch
from torch import nn

from rl_shared.errors import BadInput
from rl_shared.losses import info_nce
from rl_text.pixel.rendering import TextRenderer

__all__ = ["pair_loss", "rank_share", "symmetric_info_nce"]

T = TypeVar("T")


def symmetric_info_nce(
    a: torch.Tensor,
    b: torch.Tensor,
    temperature: float = 0.05,
    *,
    gather_across_ranks: bool = False,
) -> torch.Tensor:
    """Mean of InfoNCE from ``a`` to ``b`` and from ``b`` to ``a`` (in-batch negatives).

    Shapes:
        a, b ``(B, D)`` → scalar.

    Args:
        a: anchor embeddings.
        b: positive embeddings (row ``i`` pairs with ``a[i]``).
        temperature: softmax temperature.
        gather_across_ranks: under ``torch.distributed``, every rank's rows are negatives
            (each rank passes its own ``B`` rows; the loss is the mean over this rank's
            anchors, so the mean over ranks is the loss of the global batch).

    Example:
        >>> x = torch.eye(3)
        >>> bool(symmetric_info_nce(x, x) < symmetric_info_nce(x, x.roll(1, 0)))
        True
    """
    g = gather_across_ranks
    return 0.5 * (
        info_nce(a, b, temperature=temperature, gather_across_ranks=g)
        + info_nce(b, a, temperature=temperature, gather_across_ranks=g)
    )


def rank_share(rows: Sequence[T], rank: int, world: int) -> list[T]:
    """This rank's contiguous, equal share of a global batch (the remainder is dropped).

    Every rank draws the same global batch (same seed); the gathered in-batch negatives
    need the same number of rows on every rank, so ``len(rows) % world`` rows are left out.

    Args:
        rows: the global batch.
        rank: this process's index.
        world: the number of processes.

    Raises:
        BadInput: fewer rows than processes.

    Example:
        >>> rank_share(list("abcde"), 1, 2), rank_share(list("abc"), 0, 1)
        (['c', 'd'], ['a', 'b', 'c'])
    """
    per = len(rows) // world
    if per < 1:
        raise BadInput(f"a batch of {len(rows)} rows cannot be split over {world} processes")
    return list(rows[rank * per : (rank + 1) * per])


def pair_loss(
    model: nn.Module,
    renderer: TextRenderer,
    left: Sequence[str],
    right: Sequence[str],
    acc: Any,
    temperature: float = 0.05,
) -> torch.Tensor:
    """This rank's symmetric InfoNCE of a global batch of positive pairs: the training step's loss.

    Each process renders its share (:func:`rank_share`) on ``acc.device`` and encodes it
    through ``model`` (the ``acc.prepare``-d encoder, so DDP syncs the gradients); with
    several processes the embeddings of every rank are gathered as negatives, so the mean
    of the ranks' losses equals the one-process loss of the whole batch.

    Args:
        model: the prepared :class:`PixelEncoder` (or its DDP wrapper).
        renderer: the encoder's renderer.
        left, right: the global batch of anchors and positives.
        acc: the ``accelerate.Accelerator``.
        temperature: softmax temperature.

    Shapes:
        left, right ``B`` strings each → scalar (the mean over this rank's anchors).

    Example:
        >>> from rl_shared.runtime import make_accelerator
        >>> from rl_text.pixel.model import PixelConfig, PixelEncoder
        >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
        >>> loss = pair_loss(enc, enc.renderer, ["a cat", "a dog"], ["cat", "dog"],
        ...                  make_accelerator("cpu"))
        >>> loss.shape
        torch.Size([])
    """
    world, rank = acc.num_processes, acc.process_index
    embedded = []
    for texts in (left, right):
        pixels, mask = renderer.batch(rank_share(texts, rank, world))
        embedded.append(model(pixels.to(acc.device), mask.to(acc.device)))
    return symmetric_info_nce(embedded[0], embedded[1], temperature, gather_across_ranks=world > 1)
