"""CoDiEmb: joint retrieval + STS training with single-task batches and task-specific losses.

* **Single-task batches, per-task batch sizes** (:class:`TaskBatchSampler`): every batch
  comes from one task, with that task's batch size (retrieval wants many in-batch negatives,
  STS wants enough pairs for its correlation losses); each step's task is drawn with
  probability proportional to the batches it has left in the epoch, so the tasks' updates
  are interleaved evenly and every example is seen once per epoch.
* **Retrieval**: multi-positive InfoNCE with mined hard negatives, negatives gathered across
  devices (``rl_shared.losses.InfoNCELoss`` with ``num_positives``).
* **STS**: order-aware losses on the cosine scores of the pairs (:class:`OrderAwareStsLoss`):
  CoSENT (pairwise ranking), Pearson (correlation) and rank-KL (listwise), summed with weights.
* **Delta-guided fusion** of checkpoints: :func:`rl_text.soup.delta_fusion`.

:func:`train_codiemb` trains all of this through ``SentenceTransformerTrainer`` with a
``DatasetDict`` of tasks and one loss per task.

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv:2508.11442.

Example:
    >>> import torch
    >>> loss = OrderAwareStsLoss(model=None)
    >>> y = torch.tensor([0.1, 0.5, 0.9])
    >>> float(loss.loss_fn(y, y)) < float(loss.loss_fn(y, y.flip(0)))
    True
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from itertools import accumulate
from pathlib import Path
from typing import Any

import torch
from sentence_transformers import MultiDatasetDefaultBatchSampler
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_shared.losses import cosent, pearson_loss, rank_kl
from rl_shared.losses._pair import PairScoreLoss
from rl_text.sts import StsPairs
from rl_text.tasks import Examples

__all__ = ["OrderAwareStsLoss", "PerTaskBatchSizes", "TaskBatchSampler", "train_codiemb"]


class OrderAwareStsLoss(PairScoreLoss):
    """``w_c·CoSENT + w_p·Pearson + w_r·rank-KL`` on the cosine scores of sentence pairs.

    Labels are gold scores scaled to [0, 1].

    Args:
        model: a ``SentenceTransformer``.
        weights: ``(w_cosent, w_pearson, w_rank_kl)``.
        scale: CoSENT / rank-KL inverse temperature of the cosine scores.
    """

    def __init__(
        self,
        model: nn.Module,
        weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
        scale: float = 20.0,
    ) -> None:
        super().__init__(model)
        if len(weights) != 3 or min(weights) < 0 or sum(weights) == 0:
            raise BadInput("weights must be three non-negative numbers, not all zero")
        self.weights, self.scale = tuple(weights), scale

    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        w_c, w_p, w_r = self.weights
        total = scores.new_zeros(())
        if w_c:
            total = total + w_c * cosent(scores, labels, scale=self.scale)
        if w_p:
            total = total + w_p * pearson_loss(scores, labels)
        if w_r:
            total = total + w_r * rank_kl(scores, labels, scale=self.scale)
        return total

    def get_config_dict(self) -> dict[str, Any]:
        return {"weights": list(self.weights), "scale": self.scale}

    @property
    def citation(self) -> str:
        return "Zhang et al., CoDiEmb, arXiv:2508.11442"


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
        return [len(d) // b for d, b in zip(self.dataset.datasets, self.batch_sizes)]

    def __iter__(self) -> Iterator[list[int]]:
        g = torch.Generator().manual_seed(self.seed + self.epoch)
        offsets = [0, *accumulate(len(d) for d in self.dataset.datasets)]
        perms = [torch.randperm(len(d), generator=g).tolist() for d in self.dataset.datasets]
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


def train_codiemb(
    model: Any,
    retrieval: Examples | None,
    sts: StsPairs | None,
    out: str | Path,
    *,
    num_positives: int = 2,
    num_negatives: int = 2,
    retrieval_batch_size: int = 16,
    sts_batch_size: int = 32,
    sts_weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
    temperature: float = 0.05,
    naive: bool = False,
    steps: int = 100,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int = 50,
    save_total_limit: int | None = 2,
    show_progress: bool = True,
) -> Path:
    """Train on retrieval examples and/or STS pairs with CoDiEmb's sampler and losses.

    Args:
        model: a name/folder or a ``SentenceTransformer``.
        retrieval: queries with positives and hard negatives (``None``: STS only).
        sts: STS pairs with gold scores on 0–5 (``None``: retrieval only).
        out: output folder.
        num_positives: positives per query in the multi-positive InfoNCE.
        num_negatives: mined hard negatives per query.
        retrieval_batch_size: queries per retrieval batch.
        sts_batch_size: pairs per STS batch.
        sts_weights: CoSENT / Pearson / rank-KL weights.
        temperature: InfoNCE temperature.
        naive: the naive co-training baseline instead: one batch size (``sts_batch_size``)
            for both tasks, single-positive InfoNCE without hard negatives, CoSENT alone for STS.
        steps, learning_rate, seed, resume, save_steps, save_total_limit, show_progress: as
            :func:`rl_text.fit.fit`.
    """
    from datasets import Dataset, DatasetDict

    from rl_shared.losses import InfoNCELoss
    from rl_shared.models import load_sentence_transformer
    from rl_text.fit import fit

    if retrieval is None and sts is None:
        raise BadInput("CoDiEmb needs retrieval examples, STS pairs, or both")
    st = load_sentence_transformer(model) if isinstance(model, str | os.PathLike) else model
    if naive:
        num_positives, num_negatives, sts_weights = 1, 0, (1.0, 0.0, 0.0)
        retrieval_batch_size = sts_batch_size
    tasks, losses, sizes = {}, {}, {}
    if retrieval is not None:
        tasks["retrieval"] = Dataset.from_dict(
            retrieval.to_dict(num_positives, num_negatives, seed)
        )
        losses["retrieval"] = InfoNCELoss(
            st, temperature=temperature, num_positives=num_positives, gather_across_devices=True
        )
        sizes["retrieval"] = retrieval_batch_size
    if sts is not None:
        tasks["sts"] = Dataset.from_dict(
            {
                "sentence1": list(sts.sentences1),
                "sentence2": list(sts.sentences2),
                "score": [s / 5.0 for s in sts.scores],
            }
        )
        losses["sts"] = OrderAwareStsLoss(st, sts_weights)
        sizes["sts"] = sts_batch_size
    if len(tasks) == 1:
        name = next(iter(tasks))
        return fit(
            st, tasks[name], losses[name], out, steps=steps, batch_size=sizes[name],
            learning_rate=learning_rate, seed=seed, resume=resume, save_steps=save_steps,
            save_total_limit=save_total_limit, show_progress=show_progress,
        )  # fmt: skip
    sampler: Any = PerTaskBatchSizes(sizes)
    if naive:
        from sentence_transformers.sentence_transformer.training_args import (
            MultiDatasetBatchSamplers,
        )

        sampler = MultiDatasetBatchSamplers.PROPORTIONAL
    return fit(
        st,
        DatasetDict(tasks),
        losses,
        out,
        steps=steps,
        batch_size=max(sizes.values()),
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps,
        save_total_limit=save_total_limit,
        show_progress=show_progress,
        args_kwargs={"multi_dataset_batch_sampler": sampler},
    )
