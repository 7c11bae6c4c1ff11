"""Contrastive training of domain-expert (or plain) sentence encoders on positive pairs.

:func:`train_moe` trains with sentence-transformers' ``MultipleNegativesRankingLoss``
(in-batch negatives) through ``SentenceTransformerTrainer``. Every batch holds pairs of one
domain only (a ``DatasetDict`` with the proportional multi-dataset sampler and the
no-duplicates batch sampler), so the in-batch negatives are same-domain sentences, whether
the model routes them to experts (``moe=True``) or not (one shared model; a single-domain
model is the same call with one domain).

Checkpoints (safetensors) go to ``OUT/checkpoints`` every ``save_steps``; ``resume=True``
continues from the last one; the final model is renamed into ``OUT/model``. An MoE model is
read back with :func:`rl_text.moe.load_moe`, a plain one with ``SentenceTransformer(path)``.

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector
    Embeddings", arXiv:2401.15713.

Example:
    >>> train_moe("minilm", {"news": [("a", "b")]}, "runs/moe", steps=0)
    Traceback (most recent call last):
    ...
    rl_shared.errors.BadInput: steps, batch_size and save_steps must be at least 1
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from rl_shared.errors import BadInput
from rl_text.moe.model import MoETransformer, tag_text, to_moe

__all__ = ["train_moe"]


def _datasets(pairs: Mapping[str, Sequence[tuple[str, str]]], tagged: bool):
    from datasets import Dataset, DatasetDict

    parts = {}
    for domain, rows in pairs.items():
        rows = list(rows)
        if len(rows) < 2:
            raise BadInput(f"domain {domain!r} needs at least 2 positive pairs, got {len(rows)}")
        anchors = [tag_text(a, domain) if tagged else a for a, _ in rows]
        positives = [tag_text(b, domain) if tagged else b for _, b in rows]
        parts[domain] = Dataset.from_dict({"anchor": anchors, "positive": positives})
    return DatasetDict(parts)


def train_moe(
    model: str | os.PathLike[str] | nn.Module,
    pairs: Mapping[str, Sequence[tuple[str, str]]],
    out: str | Path,
    *,
    moe: bool = True,
    layers: Sequence[int] | None = None,
    steps: int = 100,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = 50,
    scale: float = 20.0,
    show_progress: bool = True,
    save_model: bool = True,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> Path:
    """Train ``model`` contrastively on per-domain positive pairs; return the saved model's folder.

    Args:
        model: a ``SentenceTransformer`` (plain or already MoE) or a name/path for
            ``rl_shared.models``.
        pairs: ``{domain: [(anchor, positive), ...]}``; domain names become routing tags.
        out: output folder (``checkpoints/`` and ``model/`` inside).
        moe: ``True``: one expert per domain (a plain model is converted with
            :func:`rl_text.moe.to_moe`; texts are tagged); ``False``: train the model as is
            on all domains (shared model; give one domain for a single-domain model).
        layers: 0-based layers whose MLP becomes experts (default: all).
        steps: optimizer steps (data repeated as needed).
        batch_size: pairs per step (all from one domain).
        learning_rate: AdamW learning rate (linear decay, 10 % warm-up).
        seed: seeds the trainer (data order, dropout).
        resume: continue from the last checkpoint in ``out/checkpoints`` if there is one.
        save_steps: checkpoint interval (``None``: no checkpoints).
        scale: inverse temperature of ``MultipleNegativesRankingLoss``.
        show_progress: the trainer's tqdm bar and log lines.
        save_model: write ``out/model`` (off: the model passed in is trained in place).
        device: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (``auto``: CUDA when present); a
            model given by name is loaded there.
        precision: ``fp32``, or ``bf16`` / ``fp16`` mixed precision (as
            :func:`rl_text.core.fit.fit`).

    Raises:
        BadInput: non-positive sizes, a domain with fewer than 2 pairs, or an MoE model whose
            domains differ from ``pairs``.
    """
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import resolve_device, resolve_precision, seed_everything
    from rl_text.core.fit import fit, save_atomically

    if steps < 1 or batch_size < 1 or (save_steps is not None and save_steps < 1):
        raise BadInput("steps, batch_size and save_steps must be at least 1")
    if not pairs:
        raise BadInput("train_moe needs positive pairs of at least one domain")
    seed_everything(seed)
    resolve_precision(precision, resolve_device(str(device)))
    st: Any = (
        load_sentence_transformer(model, device=device)
        if isinstance(model, str | os.PathLike)
        else model
    )
    if moe:
        if isinstance(st[0], MoETransformer):
            if list(st[0].domains) != list(pairs):
                raise BadInput(
                    f"the MoE model's domains {st[0].domains} differ from the data's {list(pairs)}"
                )
        else:
            to_moe(st, list(pairs), layers)
    train = _datasets(pairs, tagged=moe)
    out = Path(out)
    fit(
        st,
        train,
        MultipleNegativesRankingLoss(st, scale=scale),
        out,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps,
        show_progress=show_progress,
        save_model=False,
        device=device,
        precision=precision,
        args_kwargs={
            "batch_sampler": "no_duplicates",
            "multi_dataset_batch_sampler": "proportional",
        },
    )
    if not save_model:
        return out
    return save_atomically(st.save, out / "model")
