"""Split corpus encoding over ``torch.distributed`` ranks: each rank writes its shard, rank 0 merges.

Launched with ``torchrun --nproc-per-node N script.py``, :func:`encode_sharded` gives rank
``r`` the ``r``-th contiguous slice of the texts; it encodes it and writes
``<target>.shard-r-of-N.npy`` atomically; after a barrier rank 0 concatenates the shards
into ``<target>`` (atomically) and removes them; after a second barrier every rank reads
the merged file (memory-mapped). Without an initialised process group it simply encodes
everything and writes ``<target>``.

Example:
    >>> import numpy as np, tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "emb.npy"
    >>> emb = encode_sharded(["a", "bb", "ccc"], lambda t: np.array([[len(x)] for x in t], np.float32), target)
    >>> emb[:, 0].tolist()
    [1.0, 2.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch.distributed as dist

from rl_shared.io import atomic_open
from rl_shared.runtime import shard_bounds

__all__ = ["encode_sharded"]


def _save(path: Path, array: np.ndarray) -> None:
    with atomic_open(path, "wb") as handle:
        np.save(handle, array)


def encode_sharded(
    texts: Sequence[str], encode: Callable[[Sequence[str]], np.ndarray], target: str | Path
) -> np.ndarray:
    """Encode ``texts`` across the process group into ``target`` (an ``.npy`` file on a shared disk).

    Args:
        texts: every document text, in corpus order (identical on every rank).
        encode: texts -> ``(len, dim)`` float32 embeddings.
        target: the merged file; shards are written beside it.

    Shapes:
        returns ``(len(texts), dim)``, memory-mapped from ``target``.

    Example:
        >>> import pathlib, tempfile
        >>> import numpy as np
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "emb.npy"
        >>> encode_sharded(["a", "bb"], lambda t: np.array([[len(x)] for x in t], np.float32), target).shape
        (2, 1)
    """
    target = Path(target)
    if not (dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1):
        _save(target, np.asarray(encode(texts), dtype=np.float32))
        return np.load(target, mmap_mode="r")
    world, rank = dist.get_world_size(), dist.get_rank()
    shards = [target.with_name(f"{target.name}.shard-{r}-of-{world}.npy") for r in range(world)]
    start, stop = shard_bounds(len(texts), world, rank)
    _save(shards[rank], np.asarray(encode(texts[start:stop]), dtype=np.float32))
    dist.barrier()
    if rank == 0:
        _save(target, np.concatenate([np.load(s) for s in shards], axis=0))
        for shard in shards:
            shard.unlink(missing_ok=True)
    dist.barrier()
    return np.load(target, mmap_mode="r")
