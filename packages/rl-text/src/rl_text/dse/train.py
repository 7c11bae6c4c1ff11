"""Train DSE: a cross-encoder teacher, its scores, and the distilled bi-encoder student.

:func:`train_teacher` fine-tunes a sentence-transformers ``CrossEncoder`` from MiniLM on STS
pairs (binary cross-entropy on the score / 5), :func:`teacher_scores` labels the training
pairs, :func:`train_dse` trains the student and its pair head through
``SentenceTransformerTrainer`` (the head checkpointed with the model) and saves both as one
model folder (:meth:`rl_text.dse.DistilledSentenceEmbedding.save`).

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020, arXiv:1908.05161.

Example:
    >>> from rl_shared.sts import StsPairs
    >>> train_dse(StsPairs(["a"], ["b"], [1.0]), None, "runs/x")
    Traceback (most recent call last):
    ...
    rl_shared.errors.BadInput: DSE training needs at least 2 sentence pairs
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from rl_shared.errors import BadInput, ModelNotFound
from rl_shared.sts import StsPairs
from rl_text.dse.model import MAX_SCORE, DistilledSentenceEmbedding, PairHead

__all__ = ["teacher_scores", "train_dse", "train_teacher"]


def _first(err: BaseException) -> str:
    """The first line of an error's message (or its class name)."""
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__


def train_teacher(
    pairs: StsPairs,
    out: str | Path,
    *,
    model: str | os.PathLike[str] = "minilm",
    steps: int = 200,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = 100,
    max_length: int = 128,
    show_progress: bool = True,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> Path:
    """Fine-tune a ``CrossEncoder`` from ``model`` on ``pairs``; return ``out/teacher/model``.

    Binary cross-entropy on the gold score / 5 through :func:`rl_text.core.fit.fit` (which picks
    sentence-transformers' ``CrossEncoderTrainer``); checkpoints in
    ``out/teacher/checkpoints`` (``resume`` continues).

    Args:
        pairs: training pairs with gold scores on the 0–5 scale.
        out: output folder (the teacher goes to ``out/teacher/``).
        model: the cross-encoder's starting encoder (a short name, folder or hub id, as
            :func:`rl_shared.models.resolve`).
        max_length: token limit of a pair.
        steps, batch_size, learning_rate, seed, resume, save_steps, show_progress, device,
            precision: as :func:`rl_text.core.fit.fit`; the cross-encoder is loaded on
            ``device`` (:func:`rl_shared.runtime.resolve_device`).

    Returns:
        ``out/teacher/model``, loadable with ``CrossEncoder(path)``.

    References:
        Barkan et al., arXiv:1908.05161 (the cross-encoder teacher).

    Example:
        Training even a tiny teacher takes longer than an example should, so only the
        refusal of an unknown starting model is shown (nothing is downloaded):

        >>> import tempfile
        >>> pairs = StsPairs(["a cat", "a dog"], ["a kitten", "a car"], [4.5, 0.5])
        >>> train_teacher(pairs, tempfile.mkdtemp(), model="./no-such-model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: model './no-such-model' is neither a known name ...
    """
    from datasets import Dataset
    from safetensors import SafetensorError
    from sentence_transformers.cross_encoder import CrossEncoder
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

    from rl_shared.models import resolve
    from rl_shared.runtime import resolve_device, resolve_precision, seed_everything
    from rl_text.core.fit import fit

    target = resolve_device(str(device))
    resolve_precision(precision, target)
    seed_everything(seed)
    folder = resolve(model)
    if not (folder / "config.json").is_file():
        raise ModelNotFound(f"{folder} is not a transformer model folder (no config.json)")
    try:
        ce = CrossEncoder(
            str(folder),
            num_labels=1,
            max_length=max_length,
            device=str(target),
            local_files_only=True,
        )
    except (OSError, ValueError, KeyError, TypeError, SafetensorError) as err:
        raise ModelNotFound(
            f"{folder} could not be loaded as a cross-encoder ({_first(err)})"
        ) from None
    data = Dataset.from_dict(
        {
            "sentence1": list(pairs.sentences1),
            "sentence2": list(pairs.sentences2),
            "label": [float(s) / MAX_SCORE for s in pairs.scores],
        }
    )
    return fit(
        ce, data, BinaryCrossEntropyLoss(ce), Path(out) / "teacher", steps=steps,
        batch_size=batch_size, learning_rate=learning_rate, seed=seed, resume=resume,
        save_steps=save_steps, save_total_limit=1, show_progress=show_progress, device=target,
        precision=precision,
    )  # fmt: skip


def teacher_scores(
    teacher: Any,
    pairs: StsPairs,
    batch_size: int = 64,
    show_progress: bool = False,
    *,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> np.ndarray:
    """The cross-encoder's scores in [0, 1] for every pair ``(N,)``.

    Args:
        teacher: a ``CrossEncoder``, the folder of one, or its hub id ``org/name[@rev]``.
        pairs: the pairs to score.
        batch_size: pairs per forward pass.
        show_progress: the cross-encoder's progress bar.
        device: where a teacher given by folder or hub id is loaded
            (:func:`rl_shared.runtime.resolve_device`); a loaded one scores where it is.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the scoring
            (:func:`rl_shared.runtime.autocast`).

    Shapes:
        returns ``(N,)`` float64, ``N = len(pairs)``.

    Example:
        Any object with a ``CrossEncoder``-like ``predict`` serves as the teacher:

        >>> class Teacher:  # stands in for a CrossEncoder
        ...     def predict(self, pairs, batch_size, show_progress_bar):
        ...         return [[float(a == b)] for a, b in pairs]
        >>> teacher_scores(Teacher(), StsPairs(["a cat", "a dog"], ["a cat", "a car"], [5.0, 0.5]))
        array([1., 0.])
    """
    from safetensors import SafetensorError
    from sentence_transformers.cross_encoder import CrossEncoder

    from rl_shared.runtime import autocast, resolve_device

    target = resolve_device(str(device))
    if isinstance(teacher, str | os.PathLike):
        from rl_shared.models import resolve

        try:
            teacher = CrossEncoder(str(resolve(teacher)), device=str(target), local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError, SafetensorError) as err:
            raise ModelNotFound(
                f"{teacher} could not be loaded as a cross-encoder teacher ({_first(err)})"
            ) from None
    with autocast(getattr(teacher, "device", target), precision):
        scores = teacher.predict(
            list(zip(pairs.sentences1, pairs.sentences2)),
            batch_size=batch_size,
            show_progress_bar=show_progress,
        )
    return np.asarray(scores, dtype=np.float64).reshape(-1)


def train_dse(
    pairs: StsPairs,
    teacher: Sequence[float] | np.ndarray | None,
    out: str | Path,
    *,
    model: Any = "minilm",
    alpha: float = 0.5,
    hidden: int = 256,
    steps: int = 200,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    head_learning_rate: float = 1e-3,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = 100,
    show_progress: bool = True,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> Path:
    """Train the DSE student on ``pairs``; return ``out/model`` (student and head).

    Args:
        pairs: training pairs with gold scores on the 0–5 scale.
        teacher: the teacher's score in [0, 1] for each pair; ``None`` trains the student
            without distillation (``alpha`` is then ignored and set to 0).
        out: output folder.
        model: the student's start: a name/folder or a ``SentenceTransformer``.
        alpha: weight of the teacher term.
        hidden: pair-head hidden width.
        head_learning_rate: learning rate of the freshly initialised head.
        steps, batch_size, learning_rate, seed, resume, save_steps, show_progress, device,
            precision: as :func:`rl_text.core.fit.fit`; a student given by name is loaded on
            ``device``.

    Returns:
        ``out/model``, read back with :meth:`DistilledSentenceEmbedding.load`.

    References:
        Barkan et al., arXiv:1908.05161.

    Example:
        >>> train_dse(StsPairs(["a", "b"], ["c", "d"], [1.0, 2.0]), [0.5], "runs/dse")
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: 1 teacher scores for 2 pairs
    """
    from datasets import Dataset

    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import is_main_process, seed_everything
    from rl_text.core.fit import fit
    from rl_text.core.layers import embedding_dim
    from rl_text.dse.losses import DistilledPairLoss

    if len(pairs) < 2:
        raise BadInput("DSE training needs at least 2 sentence pairs")
    gold = np.asarray(pairs.scores, dtype=np.float64) / MAX_SCORE
    if teacher is None:
        alpha, target = 0.0, gold
    else:
        target = np.asarray(teacher, dtype=np.float64).reshape(-1)
        if len(target) != len(pairs):
            raise BadInput(f"{len(target)} teacher scores for {len(pairs)} pairs")
    seed_everything(seed)
    st = (
        load_sentence_transformer(model, device=device)
        if isinstance(model, str | os.PathLike)
        else model
    )
    head = PairHead(embedding_dim(st), hidden)
    loss = DistilledPairLoss(st, head, alpha)
    data = Dataset.from_dict(
        {
            "sentence1": list(pairs.sentences1),
            "sentence2": list(pairs.sentences2),
            "label": np.stack([gold, target], axis=1).tolist(),
        }
    )
    fit(
        st,
        data,
        loss,
        out,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps,
        show_progress=show_progress,
        extra_modules={"pair_head": head},
        save_model=False,
        device=device,
        precision=precision,
        args_kwargs={"learning_rate_mapping": {r"^head\.": head_learning_rate}},
    )
    path = Path(out) / "model"
    if is_main_process():
        DistilledSentenceEmbedding(st, head).save(path, alpha=alpha)
    return path
