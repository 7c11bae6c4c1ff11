"""Fine-tune a sentence encoder on STS pairs through ``SentenceTransformerTrainer``.

Losses (inner loss: sentence-transformers' ``CoSENTLoss`` on the gold scores):

* ``ours``: :class:`rl_text.matryoshka2d.Matryoshka2dLoss` (this package);
* ``sentence-transformers``: sentence-transformers' ``Matryoshka2dLoss`` with its defaults;
* ``matryoshka``: sentence-transformers' ``MatryoshkaLoss`` (last layer, every width);
* ``cosent``: the inner loss alone (the plain fine-tuning baseline).

Checkpoints (safetensors weights, optimizer, scheduler and RNG states) go to
``OUT/checkpoints`` every ``save_steps``; ``resume=True`` continues from the last one and
reaches the same weights as an uninterrupted run with the same seed. The final model is
written to ``OUT/model`` (renamed into place), loadable with ``SentenceTransformer(path)``.

References:
    Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.

Example:
    >>> from rl_shared.models import load_sentence_transformer
    >>> type(make_loss(load_sentence_transformer("minilm"), "ours")).__name__
    'Matryoshka2dLoss'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from torch import nn

from rl_shared.errors import BadInput, UnknownName
from rl_shared.sts import StsPairs
from rl_text.core.layers import embedding_dim

__all__ = ["DEFAULT_DIMS", "LOSSES", "make_loss", "train_sts"]

LOSSES = ("ours", "sentence-transformers", "matryoshka", "cosent")
DEFAULT_DIMS = (384, 256, 128, 64, 32)


def make_loss(model: nn.Module, loss: str, dims: Sequence[int] | None = None) -> nn.Module:
    """The training loss ``loss`` (one of :data:`LOSSES`) around sentence-transformers' ``CoSENTLoss``.

    Args:
        model: the ``SentenceTransformer`` being trained.
        loss: ``ours``, ``sentence-transformers``, ``matryoshka`` or ``cosent``.
        dims: Matryoshka widths (default :data:`DEFAULT_DIMS` cut to the model's width; the
            full width is always added).
    """
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import losses

    if loss not in LOSSES:
        raise UnknownName("loss", loss, list(LOSSES))
    method = loss
    full = embedding_dim(model)
    dims = [d for d in (dims or DEFAULT_DIMS) if d <= full]
    dims = sorted({full, *dims}, reverse=True)
    st = cast(SentenceTransformer, model)
    inner = losses.CoSENTLoss(st)
    if method == "cosent":
        return inner
    if method == "matryoshka":
        return losses.MatryoshkaLoss(st, inner, dims)
    if method == "sentence-transformers":
        return losses.Matryoshka2dLoss(st, inner, dims)
    from rl_text.matryoshka2d.losses import Matryoshka2dLoss

    return Matryoshka2dLoss(model, inner, dims)


def train_sts(
    model: str | nn.Module,
    pairs: StsPairs,
    out: str | Path,
    *,
    loss: str = "ours",
    steps: int = 100,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = 50,
    dims: Sequence[int] | None = None,
    show_progress: bool = True,
    save_model: bool = True,
    device: str | None = None,
    precision: str = "fp32",
) -> Path:
    """Train ``model`` on ``pairs`` with ``loss`` for ``steps`` steps; return the saved model's folder.

    Args:
        model: a ``SentenceTransformer`` or a name/path for ``rl_shared.models``.
        pairs: training pairs with gold scores.
        out: output folder (``checkpoints/`` and ``model/`` inside).
        loss: one of :data:`LOSSES`.
        steps: optimizer steps (the data is repeated as needed).
        batch_size: pairs per step.
        learning_rate: AdamW learning rate (linear decay, 10 % warm-up).
        seed: seeds the trainer (data order, dropout, layer sampling).
        resume: continue from the last checkpoint in ``out/checkpoints`` if there is one.
        save_steps: checkpoint interval (``None``: no checkpoints).
        dims: Matryoshka widths (default :data:`DEFAULT_DIMS` cut to the model's width).
        show_progress: the trainer's tqdm bar (off: no per-step log lines either).
        save_model: write ``out/model`` (off: the model object passed in is trained in place).
        device: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (default: CUDA when present);
            a model given by name is loaded there.
        precision: ``fp32``, or ``bf16`` / ``fp16`` mixed precision (:func:`rl_text.core.fit.fit`).

    Returns:
        ``out/model`` (or ``out`` when ``save_model`` is off).

    References:
        Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.

    Example:
        A training run takes longer than an example should (the ``text.2dmse`` reproduction
        and the test suite train tiny models), so only the check on its input is shown:

        >>> from rl_shared.sts import StsPairs
        >>> train_sts("minilm", StsPairs(["a cat"], ["a kitten"], [4.5]), "runs/2dmse")
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: training needs at least 2 sentence pairs
    """
    from datasets import Dataset

    from rl_shared.models import load_sentence_transformer
    from rl_text.core.fit import fit

    if len(pairs) < 2:
        raise BadInput("training needs at least 2 sentence pairs")
    st = (
        load_sentence_transformer(model, device=device)
        if isinstance(model, str | os.PathLike)
        else model
    )
    return fit(
        st,
        Dataset.from_dict(pairs.to_dict()),
        make_loss(st, loss, dims),
        out,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps,
        show_progress=show_progress,
        save_model=save_model,
        device=device,
        precision=precision,
    )
