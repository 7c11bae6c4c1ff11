"""One process's part of a PyG batch, for data-parallel training without a sampler.

The rl-graph training loops iterate over PyG batches (``torch_geometric.loader.DataLoader``
or any iterable of ``Batch``), not over a loader :meth:`accelerate.Accelerator.prepare` can
shard. Every process therefore iterates over the same batches (the same seed gives the same
shuffle) and keeps its contiguous part of each one: the global batch size stays what the
user asked for, and with equal parts DDP's gradient average equals the gradient of the
mean loss over the whole batch.

References:
    Li et al., PyTorch Distributed: Experiences on Accelerating Data Parallel Training,
    arXiv:2006.15704.

Example:
    >>> import torch
    >>> from torch_geometric.data import Batch, Data
    >>> graphs = [Data(x=torch.full((2, 1), float(i)), edge_index=torch.tensor([[0], [1]]))
    ...           for i in range(5)]
    >>> batch = Batch.from_data_list(graphs)
    >>> [shard_batch(batch, r, 2).num_graphs for r in range(2)]
    [3, 2]
    >>> shard_batch(batch, 0, 1) is batch
    True
"""

from __future__ import annotations

from typing import Any

from rl_shared.errors import BadInput
from rl_shared.runtime import shard_bounds

__all__ = ["shard_batch"]


def shard_batch(batch: Any, rank: int, world: int) -> Any:
    """Rank ``rank``'s contiguous part of a PyG ``Batch`` (the batch itself in one process).

    Args:
        batch: a ``torch_geometric.data.Batch`` made by ``Batch.from_data_list`` (as PyG's
            ``DataLoader`` makes them).
        rank: this process's index.
        world: number of processes.

    Returns:
        A ``Batch`` of this rank's graphs, or ``None`` when the batch holds fewer graphs
        than there are processes: every process then skips it alike (it is the same batch
        on each), so none waits for the others in DDP's gradient all-reduce.

    Raises:
        BadInput: several processes and a batch that is not a PyG ``Batch``.
    """
    if world == 1:
        return batch
    from torch_geometric.data import Batch

    if not isinstance(batch, Batch) or getattr(batch, "_slice_dict", None) is None:
        raise BadInput(
            f"training in {world} processes needs PyG Batch objects to split per process, "
            f"got {type(batch).__name__}"
        )
    n = batch.num_graphs
    if n < world:
        return None
    start, stop = shard_bounds(n, world, rank)
    return Batch.from_data_list(batch.index_select(slice(start, stop)))
