"""Train a sentence encoder with DefSent+ through ``SentenceTransformerTrainer``.

Each step encodes a batch of dictionary definitions and pulls each one onto its entry in the
isotropic entry space (:class:`rl_text.defsent.loss.DefSentLoss`). A trainer callback rebuilds
the entry space from the current encoder every ``refresh_steps`` steps (progressive entry
embeddings) and stores it beside every checkpoint, so ``resume=True`` continues exactly
where an interrupted run stopped.

Checkpoints go to ``OUT/checkpoints``; the final model is renamed into ``OUT/model`` and
loads with ``SentenceTransformer(path)`` (mean pooling) or
:func:`rl_text.defsent.load_prompt_model` (prompt pooling).

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting
    definition sentences into a quasi-isotropic or isotropic vector space of unlimited
    dictionary entries", arXiv:2405.16153.

Example:
    >>> from rl_text.defsent import make_definition_set
    >>> data = make_definition_set([("a pet canine", "dog"), ("a feline", "cat")])
    >>> train_defsent("minilm", data, "runs/defsent", steps=0)
    Traceback (most recent call last):
    ...
    rl_shared.errors.BadInput: steps, batch_size, save_steps and refresh_steps must be at least 1
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch
from torch import nn

from rl_shared.errors import BadInput
from rl_text.defsent.entries import DefinitionSet
from rl_text.defsent.loss import DefSentLoss
from rl_text.defsent.prompt import DEFAULT_TEMPLATE, with_prompt_pooling
from rl_text.defsent.space import SPACE_FILE, EntrySpace

__all__ = ["EntryRefresh", "train_defsent"]


def _callback_base():
    from transformers import TrainerCallback

    return TrainerCallback


class EntryRefresh(_callback_base()):  # type: ignore[misc]
    """Trainer callback: refresh the entry space every ``every`` steps, save it at checkpoints.

    Args:
        space: the entry space the loss reads.
        model: the model being trained.
        every: refresh interval in optimizer steps.
        show_progress: print a line per refresh on stderr.

    Example:
        A stand-in space records when it is refreshed; the trainer's ``state`` carries the
        step. The first call refreshes an empty space, later ones every ``every`` steps.

        >>> from types import SimpleNamespace
        >>> class Space:
        ...     fitted, refreshed_at, steps = False, -1, []
        ...     def refresh(self, model, step):
        ...         self.fitted, self.refreshed_at = True, step
        ...         self.steps.append(step)
        >>> space = Space()
        >>> callback = EntryRefresh(space, model=None, every=2)
        >>> for step in range(1, 6):
        ...     _ = callback.on_step_begin(None, SimpleNamespace(global_step=step), None)
        >>> space.steps
        [1, 2, 4]
    """

    def __init__(
        self, space: EntrySpace, model: nn.Module, every: int, show_progress: bool = False
    ) -> None:
        self.space, self.model, self.every, self.show_progress = space, model, every, show_progress

    def on_step_begin(self, args, state, control, **kwargs):
        step = state.global_step
        due = step % self.every == 0 and self.space.refreshed_at != step
        if not self.space.fitted or due:
            self.space.refresh(self.model, step)
            if self.show_progress:
                import sys

                print(f"defsent: entry space refreshed at step {step}", file=sys.stderr)
        return control

    def on_save(self, args, state, control, **kwargs):
        folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        if folder.is_dir() and self.space.fitted:
            self.space.save(folder)
        return control


def train_defsent(
    model: str | os.PathLike[str] | nn.Module,
    data: DefinitionSet,
    out: str | Path,
    *,
    isotropy: str = "whiten",
    entry_mode: str = "definitions",
    prompt: bool = False,
    template: str = DEFAULT_TEMPLATE,
    refresh_steps: int = 100,
    temperature: float = 0.05,
    negatives: str = "all",
    components: int | None = None,
    fit_size: int | None = 8000,
    steps: int = 100,
    batch_size: int = 64,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = 50,
    show_progress: bool = True,
    save_model: bool = True,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> Path:
    """Train ``model`` to project definitions onto their entries; return the saved model's folder.

    Args:
        model: a ``SentenceTransformer`` or a name/path for ``rl_shared.models``.
        data: definitions labelled with entries (:func:`rl_text.defsent.make_definition_set`).
        out: output folder (``checkpoints/`` and ``model/`` inside).
        isotropy: entry-space transform, ``"whiten"``, ``"ica"`` or ``"none"``.
        entry_mode: ``"definitions"`` (mean of an entry's definition embeddings, DefSent+)
            or ``"entry"`` (embedding of the entry string).
        prompt: pool at the mask of ``template`` instead of the model's pooling
            (:func:`rl_text.defsent.with_prompt_pooling`; a model already built so is kept).
        template: the prompt, with ``{text}`` and ``{mask}``.
        refresh_steps: rebuild the entry space every this many steps.
        temperature: softmax temperature of :class:`DefSentLoss`.
        negatives: ``"all"`` entries or the ``"batch"``'s.
        components: output size of the isotropy transform (default: embedding size).
        fit_size: fit the transform on at most this many entries.
        steps: optimizer steps (data repeated as needed).
        batch_size: definitions per step.
        learning_rate: AdamW learning rate (linear decay, 10 % warm-up).
        seed: seeds the trainer, the fit subset and ICA.
        resume: continue from the last checkpoint in ``out/checkpoints`` if there is one.
        save_steps: checkpoint interval (``None``: no checkpoints).
        show_progress: the trainer's tqdm bar and log lines.
        save_model: write ``out/model`` (off: ``out`` is returned; with ``prompt=True`` the
            trained model is a new object, so keep ``save_model`` on to get it back).
        device: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (``auto``: CUDA when present);
            a model given by name is loaded there.
        precision: ``fp32``, or ``bf16`` / ``fp16`` mixed precision of the training
            (:func:`rl_text.core.fit.fit`) and autocast of the entry-space encoding.
    """
    from datasets import Dataset

    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import resolve_device, resolve_precision, seed_everything
    from rl_text.core.fit import fit, last_checkpoint, save_atomically
    from rl_text.defsent.prompt import PromptTransformer

    if (
        steps < 1
        or batch_size < 1
        or refresh_steps < 1
        or (save_steps is not None and save_steps < 1)
    ):
        raise BadInput("steps, batch_size, save_steps and refresh_steps must be at least 1")
    if len(data) < 2:
        raise BadInput("DefSent training needs at least 2 definitions")
    seed_everything(seed)
    resolve_precision(precision, resolve_device(str(device)))
    st: Any = (
        load_sentence_transformer(model, device=device)
        if isinstance(model, str | os.PathLike)
        else model
    )
    if prompt and not isinstance(st[0], PromptTransformer):
        st = with_prompt_pooling(st, template)
    space = EntrySpace(
        data, entry_mode, isotropy, components=components, fit_size=fit_size, seed=seed,
        precision=precision,
    )  # fmt: skip
    out = Path(out)
    last = last_checkpoint(out, [SPACE_FILE]) if resume else None  # the one fit resumes from
    if last is not None:
        space.load(last)
    fit(
        st,
        Dataset.from_dict(data.to_dict()),
        DefSentLoss(st, space, temperature=temperature, negatives=negatives),
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
        callbacks=[EntryRefresh(space, st, refresh_steps, show_progress)],
        checkpoint_files=[SPACE_FILE],
    )
    if not save_model:
        return out
    return save_atomically(st.save, out / "model")
