"""One training loop for every method: ``SentenceTransformerTrainer`` with resumable checkpoints.

:func:`fit` trains a ``SentenceTransformer`` on a ``datasets.Dataset`` (or a ``DatasetDict`` of
tasks, each with its own loss) for a fixed number of steps. Checkpoints (safetensors weights,
optimizer, scheduler, RNG states, and any extra modules the loss owns) go to
``OUT/checkpoints`` every ``save_steps``; ``resume=True`` continues from the last one and
reaches the weights of an uninterrupted run with the same seed. The trained model is written
to ``OUT/model`` through a temporary folder renamed into place, so a crash never leaves a half
written model. Because it is the sentence-transformers trainer, ``torchrun`` / ``accelerate``
DDP works unchanged.

Example:
    >>> fit(None, [], None, "runs/x", steps=0)
    Traceback (most recent call last):
    ...
    rl_shared.errors.BadInput: steps, batch_size and save_steps must be at least 1
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from rl_shared.errors import BadInput

__all__ = [
    "ExtraStateCallback",
    "fit",
    "is_main_process",
    "last_checkpoint",
    "save_atomically",
    "sequential_batch_sampler",
]


def is_main_process() -> bool:
    """True outside ``torch.distributed`` and on rank 0 inside it.

    Example:
        >>> is_main_process()  # no process group here
        True
    """
    import torch.distributed as dist

    return not (dist.is_available() and dist.is_initialized()) or dist.get_rank() == 0


def sequential_batch_sampler(dataset: Any, batch_size: int, drop_last: bool, **kwargs: Any) -> Any:
    """Batches in dataset order (a ``batch_sampler`` for the trainer arguments).

    Args:
        dataset: the training dataset (only its length is used).
        batch_size: examples per batch.
        drop_last: drop a last, smaller batch.
        **kwargs: what the trainer passes besides (label columns, generator, seed); ignored.

    Example:
        >>> list(sequential_batch_sampler(list(range(5)), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
    """
    from sentence_transformers import DefaultBatchSampler
    from torch.utils.data import SequentialSampler

    return DefaultBatchSampler(
        SequentialSampler(dataset), batch_size=batch_size, drop_last=drop_last
    )


def last_checkpoint(out: str | Path) -> Path | None:
    """The newest ``OUT/checkpoints/checkpoint-N`` folder, or ``None``.

    Args:
        out: the output folder given to :func:`fit`.

    Example:
        >>> import pathlib, tempfile
        >>> out = pathlib.Path(tempfile.mkdtemp())
        >>> last_checkpoint(out) is None
        True
        >>> for n in (5, 10):
        ...     (out / "checkpoints" / f"checkpoint-{n}").mkdir(parents=True)
        >>> last_checkpoint(out).name
        'checkpoint-10'
    """
    from transformers.trainer_utils import get_last_checkpoint

    folder = Path(out) / "checkpoints"
    found = get_last_checkpoint(str(folder)) if folder.is_dir() else None
    return Path(found) if found else None


def save_atomically(save: Callable[[str], Any], final: str | Path) -> Path:
    """Call ``save(tmp)`` on a temporary folder that then replaces ``final``.

    The swap is :func:`rl_shared.io.atomic_dir`: readers see the old model or the new one,
    never a partial one and never neither.

    Args:
        save: writes the model into the folder it is given (e.g. ``SentenceTransformer.save``).
        final: where the finished folder goes (an existing one is replaced).

    Returns:
        ``final``.

    Example:
        >>> import pathlib, tempfile
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "model"
        >>> _ = save_atomically(lambda tmp: pathlib.Path(tmp, "a.txt").write_text("1"), out)
        >>> sorted(p.name for p in out.iterdir())
        ['a.txt']
    """
    from rl_shared.io import atomic_dir

    final = Path(final)
    with atomic_dir(final) as tmp:
        save(str(tmp))
    return final


class ExtraStateCallback:
    """Save and restore modules that live in the loss, not the model, with each checkpoint.

    The trainer checkpoints the ``SentenceTransformer`` and the optimizer; a head owned by the
    loss (DSE's pair head) would otherwise restart from its initial weights on resume.

    Args:
        modules: name -> module; each is saved as ``<name>.safetensors`` in the checkpoint.

    Example:
        >>> import tempfile
        >>> from types import SimpleNamespace
        >>> head = nn.Linear(2, 1)
        >>> out = tempfile.mkdtemp()
        >>> callback = ExtraStateCallback({"head": head})
        >>> args, state = SimpleNamespace(output_dir=out), SimpleNamespace(global_step=3)
        >>> _ = callback.on_save(args, state, None)
        >>> fresh = nn.Linear(2, 1)
        >>> ExtraStateCallback.restore({"head": fresh}, Path(out) / "checkpoint-3")
        >>> torch.equal(fresh.weight, head.weight)
        True
    """

    def __new__(cls, modules: Mapping[str, nn.Module]):
        from transformers import TrainerCallback

        class _Callback(TrainerCallback):
            def on_save(self, args, state, control, **kwargs):
                from rl_shared.checkpoint import save_tensors

                folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
                folder.mkdir(parents=True, exist_ok=True)
                for name, module in modules.items():
                    save_tensors(folder / f"{name}.safetensors", module.state_dict())
                return control

        return _Callback()

    @staticmethod
    def restore(modules: Mapping[str, nn.Module], checkpoint: Path) -> None:
        """Load each module's weights from ``checkpoint`` (it must have been saved there)."""
        from rl_shared.checkpoint import load_tensors

        for name, module in modules.items():
            path = checkpoint / f"{name}.safetensors"
            if not path.is_file():
                raise BadInput(f"checkpoint {checkpoint} has no {path.name}; cannot resume")
            module.load_state_dict(load_tensors(path))


def _trainer_classes(model: nn.Module) -> tuple[type, type]:
    """sentence-transformers' trainer and arguments classes for a bi- or cross-encoder."""
    from sentence_transformers.cross_encoder import (
        CrossEncoder,
        CrossEncoderTrainer,
        CrossEncoderTrainingArguments,
    )

    if isinstance(model, CrossEncoder):
        return CrossEncoderTrainer, CrossEncoderTrainingArguments
    from sentence_transformers import (
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )

    return SentenceTransformerTrainer, SentenceTransformerTrainingArguments


def fit(
    model: nn.Module,
    dataset: Any,
    loss: nn.Module | Mapping[str, nn.Module],
    out: str | Path,
    *,
    steps: int = 100,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = 50,
    save_total_limit: int | None = 2,
    show_progress: bool = True,
    save_model: bool = True,
    shuffle: bool = True,
    extra_modules: Mapping[str, nn.Module] | None = None,
    callbacks: Sequence[Any] = (),
    trainer_kwargs: Mapping[str, Any] | None = None,
    args_kwargs: Mapping[str, Any] | None = None,
    device: str | torch.device | None = None,
) -> Path:
    """Train ``model`` with ``loss`` on ``dataset`` for ``steps`` optimizer steps.

    Args:
        model: a ``SentenceTransformer`` (or a ``CrossEncoder``: then its trainer is used).
        dataset: a ``datasets.Dataset`` whose columns the loss reads, or a ``DatasetDict`` of
            tasks (then ``loss`` is a mapping with the same keys).
        loss: the loss module (it may own parameters; they are optimized too).
        out: output folder (``checkpoints/`` and ``model/`` inside).
        steps: optimizer steps (the data is repeated as needed).
        batch_size: examples per step (per process under DDP).
        learning_rate: AdamW learning rate (linear decay, 10 % warm-up).
        seed: seeds data order, dropout and everything the trainer seeds.
        resume: continue from the last checkpoint in ``out/checkpoints``, if there is one.
        save_steps: checkpoint interval; ``None``: no checkpoint at all, not even the final one
            the trainer writes otherwise (for throw-away runs such as reproductions).
        save_total_limit: checkpoints kept (``None``: all, e.g. for model soups).
        show_progress: the trainer's tqdm bar and log lines.
        save_model: write ``out/model`` (off: only the model object is trained); under
            ``torch.distributed`` only rank 0 writes it.
        shuffle: shuffle the data (off: batches in dataset order).
        extra_modules: modules owned by the loss to checkpoint and restore with the model.
        callbacks: more ``transformers.TrainerCallback`` objects.
        trainer_kwargs: more trainer arguments.
        args_kwargs: more training arguments.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``
            (:func:`rl_shared.runtime.resolve_device`); default: CUDA when present, else CPU.

    Returns:
        ``out/model`` (or ``out`` when ``save_model`` is off).
    """
    from rl_shared.runtime import seed_everything

    if steps < 1 or batch_size < 1 or (save_steps is not None and save_steps < 1):
        raise BadInput("steps, batch_size and save_steps must be at least 1")
    seed_everything(seed)
    use_cpu = not torch.cuda.is_available()
    if device is not None:
        from rl_shared.runtime import resolve_device

        dev = resolve_device(device) if isinstance(device, str) else torch.device(device)
        use_cpu = dev.type == "cpu"
        if dev.type == "cuda" and dev.index is not None:
            torch.cuda.set_device(dev)
        model.to(dev)
    out = Path(out)
    last = last_checkpoint(out) if resume else None
    extra = dict(extra_modules or {})
    if last is not None and extra:
        ExtraStateCallback.restore(extra, last)
    sizes = [len(d) for d in dataset.values()] if hasattr(dataset, "values") else [len(dataset)]
    Trainer, Arguments = _trainer_classes(model)
    args = Arguments(
        output_dir=str(out / "checkpoints"),
        max_steps=steps,
        per_device_train_batch_size=batch_size,
        learning_rate=learning_rate,
        warmup_steps=max(0, steps // 10),
        seed=seed,
        data_seed=seed,
        save_strategy="no" if save_steps is None else "steps",
        save_steps=save_steps or 500,
        save_total_limit=save_total_limit,
        logging_steps=max(1, min(50, steps // 5)),
        logging_strategy="steps" if show_progress else "no",
        report_to="none",
        disable_tqdm=not show_progress,
        use_cpu=use_cpu,
        dataloader_drop_last=min(sizes) >= batch_size,
        **dict(args_kwargs or {}),
    )
    if not shuffle:
        args.batch_sampler = sequential_batch_sampler
    all_callbacks = [*callbacks]
    if extra:
        all_callbacks.append(ExtraStateCallback(extra))
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=dataset,
        loss=dict(loss) if isinstance(loss, Mapping) else loss,
        callbacks=all_callbacks,
        **dict(trainer_kwargs or {}),
    )
    if not show_progress:  # with tqdm off the trainer prints every log dict instead
        from transformers.trainer_callback import PrinterCallback

        trainer.remove_callback(PrinterCallback)
    trainer.train(resume_from_checkpoint=str(last) if last else None)
    if trainer.is_world_process_zero():
        from rl_shared.io import atomic_write_json

        atomic_write_json(out / "train_log.json", trainer.state.log_history)
    if not save_model:
        return out
    if trainer.is_world_process_zero():
        host: Any = model  # a SentenceTransformer or CrossEncoder
        save_atomically(host.save, out / "model")
    return out / "model"
