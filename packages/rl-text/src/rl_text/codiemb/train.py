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
* **Delta-guided fusion** of checkpoints: :func:`rl_text.core.soup.delta_fusion`.

The losses are in :mod:`rl_text.codiemb.losses`, the sampler in :mod:`rl_text.codiemb.sampler`.

:func:`train_codiemb` trains all of this through ``SentenceTransformerTrainer`` with a
``DatasetDict`` of tasks and one loss per task.

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv:2508.11442.

Example:
    >>> train_codiemb("minilm", None, None, "runs/x")
    Traceback (most recent call last):
    ...
    rl_shared.errors.BadInput: CoDiEmb needs retrieval examples, STS pairs, or both
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from torch import nn

from rl_shared.errors import BadInput
from rl_shared.sts import StsPairs
from rl_text.codiemb.losses import OrderAwareStsLoss
from rl_text.codiemb.sampler import PerTaskBatchSizes
from rl_text.core.tasks import Examples

__all__ = ["train_codiemb"]


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
    save_steps: int | None = 50,
    save_total_limit: int | None = 2,
    show_progress: bool = True,
    device: str | None = None,
    precision: str = "fp32",
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
        steps, learning_rate, seed, resume, save_steps, save_total_limit, show_progress,
            device, precision: as :func:`rl_text.core.fit.fit` (a model given by name is
            loaded on ``device``).

    Returns:
        ``out/model``, loadable with ``SentenceTransformer(path)``.

    References:
        Zhang et al., arXiv:2508.11442.
    """
    from datasets import Dataset, DatasetDict

    from rl_shared.losses import InfoNCELoss
    from rl_shared.models import load_sentence_transformer
    from rl_text.core.fit import fit

    if retrieval is None and sts is None:
        raise BadInput("CoDiEmb needs retrieval examples, STS pairs, or both")
    st = (
        load_sentence_transformer(model, device=device)
        if isinstance(model, str | os.PathLike)
        else model
    )
    if naive:
        num_positives, num_negatives, sts_weights = 1, 0, (1.0, 0.0, 0.0)
        retrieval_batch_size = sts_batch_size
    tasks: dict[str, Dataset] = {}
    losses: dict[str, nn.Module] = {}
    sizes: dict[str, int] = {}
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
            save_total_limit=save_total_limit, show_progress=show_progress, device=device,
            precision=precision,
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
        device=device,
        precision=precision,
        args_kwargs={"multi_dataset_batch_sampler": sampler},
    )
