"""Fine-tune a sentence encoder on STS pairs through ``SentenceTransformerTrainer``.

Methods (inner loss: sentence-transformers' ``CoSENTLoss`` on the gold scores):

* ``2dmse``: :class:`rl_text.matryoshka2d.Matryoshka2dLoss` (this package);
* ``st-2dmse``: sentence-transformers' ``Matryoshka2dLoss`` with its defaults;
* ``matryoshka``: sentence-transformers' ``MatryoshkaLoss`` (last layer, every width);
* ``cosent``: the inner loss alone.

Checkpoints (safetensors weights, optimizer, scheduler and RNG states) go to
``OUT/checkpoints`` every ``save_steps``; ``resume=True`` continues from the last one and
reaches the same weights as an uninterrupted run with the same seed. The final model is
written to ``OUT/model`` (renamed into place), loadable with ``SentenceTransformer(path)``.

Example:
    >>> from rl_text.sts import load_stsb
    >>> train_sts("minilm", load_stsb("train"), "runs/2dmse", steps=100)  # doctest: +SKIP
    PosixPath('runs/2dmse/model')
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from torch import nn

from rl_shared.errors import BadInput, UnknownName
from rl_text.layers import embedding_dim
from rl_text.sts import StsPairs

__all__ = ["DEFAULT_DIMS", "METHODS", "make_loss", "train_sts"]

METHODS = ("2dmse", "st-2dmse", "matryoshka", "cosent")
DEFAULT_DIMS = (384, 256, 128, 64, 32)


def make_loss(model: nn.Module, method: str, dims: Sequence[int] | None = None) -> nn.Module:
    """The training loss of ``method`` around sentence-transformers' ``CoSENTLoss``."""
    from sentence_transformers import losses

    if method not in METHODS:
        raise UnknownName("method", method, list(METHODS))
    full = embedding_dim(model)
    dims = [d for d in (dims or DEFAULT_DIMS) if d <= full]
    dims = sorted({full, *dims}, reverse=True)
    inner = losses.CoSENTLoss(model)
    if method == "cosent":
        return inner
    if method == "matryoshka":
        return losses.MatryoshkaLoss(model, inner, dims)
    if method == "st-2dmse":
        return losses.Matryoshka2dLoss(model, inner, dims)
    from rl_text.matryoshka2d import Matryoshka2dLoss

    return Matryoshka2dLoss(model, inner, dims)


def train_sts(
    model: str | nn.Module,
    pairs: StsPairs,
    out: str | Path,
    *,
    method: str = "2dmse",
    steps: int = 100,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int = 50,
    dims: Sequence[int] | None = None,
    show_progress: bool = True,
    save_model: bool = True,
) -> Path:
    """Train ``model`` on ``pairs`` with ``method`` for ``steps`` steps; return the saved model's folder.

    Args:
        model: a ``SentenceTransformer`` or a name/path for ``rl_shared.models``.
        pairs: training pairs with gold scores.
        out: output folder (``checkpoints/`` and ``model/`` inside).
        method: one of :data:`METHODS`.
        steps: optimizer steps (the data is repeated as needed).
        batch_size: pairs per step.
        learning_rate: AdamW learning rate (linear decay, 10 % warm-up).
        seed: seeds the trainer (data order, dropout, layer sampling).
        resume: continue from the last checkpoint in ``out/checkpoints`` if there is one.
        save_steps: checkpoint interval.
        dims: Matryoshka widths (default :data:`DEFAULT_DIMS` cut to the model's width).
        show_progress: the trainer's tqdm bar (off: no per-step log lines either).
        save_model: write ``out/model`` (off: the model object passed in is trained in place).

    References:
        Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.
    """
    from datasets import Dataset

    from rl_shared.models import load_sentence_transformer
    from rl_text.fit import fit

    if len(pairs) < 2:
        raise BadInput("training needs at least 2 sentence pairs")
    st = load_sentence_transformer(model) if isinstance(model, str | os.PathLike) else model
    return fit(
        st,
        Dataset.from_dict(pairs.to_dict()),
        make_loss(st, method, dims),
        out,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps,
        show_progress=show_progress,
        save_model=save_model,
    )
