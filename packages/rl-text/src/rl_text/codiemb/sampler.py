"""CoDiEmb's task sampler: single-task batches, one batch size per task, tasks by remaining batches.

Retrieval wants many in-batch negatives, STS enough pairs for its correlation losses; each
step's task is drawn with probability proportional to the batches it has left in the epoch,
so the tasks' updates interleave evenly and every example is seen once per epoch.
sentence-transformers' own multi-dataset samplers share one batch size across tasks.

References:
    Zhang et al., "CoDiEmb", arXiv:2508.11442.

Example:
    >>> from torch.utils.data import ConcatDataset
    >>> len(PerTaskBatchSizes([3, 2])(ConcatDataset([range(6), range(4)])))
    4
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sized
from itertools import accumulate
from typing import Any, cast

import torch
from sentence_transformers import MultiDatasetDefaultBatchSampler

from rl_shared.errors import BadInput

__all__ = ["PerTaskBatchSizes", "TaskBatchSampler"]


class TaskBatchSampler(MultiDatasetDefaultBatchSampler):
    """Single-task batches with one batch size per task, tasks drawn by remaining batches.

    Built by the trainer through :class:`PerTaskBatchSizes` (a ``multi_dataset_batch_sampler``
    for ``SentenceTransformerTrainingArguments``).

    Args:
        dataset: the ``ConcatDataset`` of the tasks, in the order of ``batch_sizes``.
        batch_sizes: batch size of each task.
        seed: base seed; epoch ``e`` uses ``seed + e``.

    Example:
        >>> from torch.utils.data import ConcatDataset
        >>> s = TaskBatchSampler(ConcatDataset([range(6), range(4)]), [3, 2], seed=0)
        >>> sorted(len(b) for b in s)
        [2, 2, 3, 3]
    """

    def __init__(
        self,
        dataset: Any,
        batch_sizes: list[int],
        generator: torch.Generator | None = None,
        seed: int = 0,
        batch_samplers: Any = None,
    ) -> None:
        sizes = [len(d) for d in dataset.datasets]
        if len(batch_sizes) != len(sizes):
            raise BadInput(f"{len(batch_sizes)} batch sizes for {len(sizes)} tasks")
        for n, b in zip(sizes, batch_sizes):
            if b < 1 or n < b:
                raise BadInput(f"a task of {n} examples cannot fill batches of {b}")
        self.dataset, self.batch_sizes, self.seed = dataset, list(batch_sizes), seed
        self.generator, self.epoch = generator, 0
        # the trainer's own per-task samplers share one batch size; they are replaced here
        self.batch_samplers = batch_samplers or []
        self.batch_size, self.drop_last = max(batch_sizes), True

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def num_batches(self) -> list[int]:
        """Batches per task in one epoch (incomplete last batches dropped)."""
        tasks = cast("list[Sized]", self.dataset.datasets)  # the ConcatDataset's parts
        return [len(d) // b for d, b in zip(tasks, self.batch_sizes)]

    def __iter__(self) -> Iterator[list[int]]:
        g = torch.Generator().manual_seed(self.seed + self.epoch)
        tasks = cast("list[Sized]", self.dataset.datasets)  # the ConcatDataset's parts
        offsets = [0, *accumulate(len(d) for d in tasks)]
        perms = [torch.randperm(len(d), generator=g).tolist() for d in tasks]
        remaining = self.num_batches()
        cursor = [0] * len(remaining)
        while sum(remaining):
            task = int(
                torch.multinomial(torch.tensor(remaining, dtype=torch.float), 1, generator=g)
            )
            b, start = self.batch_sizes[task], cursor[task]
            yield [offsets[task] + i for i in perms[task][start : start + b]]
            cursor[task] += b
            remaining[task] -= 1

    def __len__(self) -> int:
        return sum(self.num_batches())


class PerTaskBatchSizes:
    """A picklable ``multi_dataset_batch_sampler`` with per-task batch sizes (in task order).

    Calling it with the trainer's ``(dataset, batch_samplers, generator, seed)`` builds a
    :class:`TaskBatchSampler`.

    Args:
        batch_sizes: batch size of each task, as a list in task order or a mapping
            ``{task: size}`` (its values are taken in insertion order).

    Example:
        >>> from torch.utils.data import ConcatDataset
        >>> len(PerTaskBatchSizes([3, 2])(ConcatDataset([range(6), range(4)])))
        4
    """

    def __init__(self, batch_sizes: Mapping[str, int] | list[int]) -> None:
        self.sizes = (
            list(batch_sizes.values()) if isinstance(batch_sizes, Mapping) else list(batch_sizes)
        )

    def __call__(
        self, dataset: Any, batch_samplers: Any = None, generator: Any = None, seed: int = 0
    ) -> TaskBatchSampler:
        return TaskBatchSampler(dataset, self.sizes, generator, seed or 0, batch_samplers)
