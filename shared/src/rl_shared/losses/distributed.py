"""Gather embeddings across ``torch.distributed`` ranks for global in-batch negatives.

:func:`gather_with_grad` concatenates every rank's tensor along the batch axis; the
local slice keeps its autograd graph (the backward pass routes the gradients of the
other ranks' copies back to their owners), so a loss
computed on the gathered batch trains each rank's encoder with all ranks' negatives.

References:
    van den Oord et al., "Representation Learning with Contrastive Predictive Coding",
    arXiv 2018. https://arxiv.org/abs/1807.03748
    Henderson et al., "Efficient Natural Language Response Suggestion for Smart Reply",
    arXiv 2017 (in-batch negatives). https://arxiv.org/abs/1705.00652

Example:
    >>> import torch
    >>> from rl_shared.losses.distributed import gather_with_grad
    >>> gathered, offset = gather_with_grad(torch.ones(4, 3))  # not distributed: unchanged
    >>> tuple(gathered.shape), offset
    ((4, 3), 0)
"""

from __future__ import annotations

import torch
import torch.distributed as dist
from torch import Tensor

__all__ = ["gather_with_grad", "is_distributed"]


def is_distributed() -> bool:
    """Whether a ``torch.distributed`` process group with more than one rank is running.

    Example:
        >>> is_distributed()  # a plain process
        False
    """
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


class _GatherWithGrad(torch.autograd.Function):
    """All-gather whose backward sums every rank's gradient and returns this rank's slice."""

    @staticmethod
    def forward(ctx, tensor: Tensor) -> Tensor:  # type: ignore[override]
        world, rank = dist.get_world_size(), dist.get_rank()
        ctx.rank, ctx.rows = rank, tensor.shape[0]
        parts = [torch.empty_like(tensor) for _ in range(world)]
        dist.all_gather(parts, tensor.contiguous())
        return torch.cat(parts, dim=0)

    @staticmethod
    def backward(ctx, grad: Tensor) -> Tensor:  # type: ignore[override]
        grad = grad.contiguous().clone()
        dist.all_reduce(grad)  # gloo has no reduce-scatter; the sum over ranks, then our rows
        return grad[ctx.rank * ctx.rows : (ctx.rank + 1) * ctx.rows]


def gather_with_grad(tensor: Tensor) -> tuple[Tensor, int]:
    """Return ``(all ranks' rows concatenated, index of this rank's first row)``.

    Every rank must pass the same number of rows. The gradient reaching this rank's rows
    is the sum of every rank's loss gradient, as with ``torch.distributed.nn.all_gather``;
    DDP's gradient averaging then gives the gradient of the mean loss.

    Args:
        tensor: this rank's rows (e.g. its batch of embeddings); returned unchanged, with
            offset 0, outside a multi-rank process group.

    Shapes:
        tensor ``(B, ...)`` -> ``(world_size * B, ...)``.
    """
    if not is_distributed():
        return tensor, 0
    return _GatherWithGrad.apply(tensor), dist.get_rank() * tensor.shape[0]
