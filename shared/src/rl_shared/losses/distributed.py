"""Gather embeddings across ``torch.distributed`` ranks for global in-batch negatives.

:func:`gather_with_grad` concatenates every rank's tensor along the batch axis; the
local slice keeps its autograd graph (``torch.distributed.nn.functional.all_gather``
routes the gradients of the other ranks' copies back to their owners), so a loss
computed on the gathered batch trains each rank's encoder with all ranks' negatives.

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
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def gather_with_grad(tensor: Tensor) -> tuple[Tensor, int]:
    """Return ``(all ranks' rows concatenated, index of this rank's first row)``.

    Every rank must pass the same number of rows.
    """
    if not is_distributed():
        return tensor, 0
    from torch.distributed.nn.functional import all_gather

    parts = all_gather(tensor.contiguous())
    return torch.cat(parts, dim=0), dist.get_rank() * tensor.shape[0]
