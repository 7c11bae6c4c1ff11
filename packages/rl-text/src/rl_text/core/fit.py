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

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from rl_shared.errors import BadInput

__all__ = [
    "TRAINER_STATE",
    "ExtraStateCallback",
    "checkpoints",
    "fit",
    "is_complete_checkpoint",
    "last_checkpoint",
    "save_atomically",
    "sequential_batch_sampler",
]


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


_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")
#: what the trainer writes last into a checkpoint (after weights, optimizer and RNG states)
TRAINER_STATE = "trainer_state.json"
_WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def _complete_safetensors(path: Path) -> bool:
    """Whether ``path`` is a whole safetensors file: its header parses and its data is all there."""
    import json
    import struct

    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            raw = handle.read(8)
            if len(raw) < 8:
                return False
            (length,) = struct.unpack("<Q", raw)
            if length > size - 8:
                return False
            header = json.loads(handle.read(length))
    except (OSError, ValueError):
        return False
    if not isinstance(header, dict):
        return False
    ends = [
        int(entry["data_offsets"][1])
        for key, entry in header.items()
        if key != "__metadata__" and isinstance(entry, dict) and "data_offsets" in entry
    ]
    return 8 + length + max(ends, default=0) <= size


def _complete_file(path: Path) -> bool:
    if not path.is_file():
        return False
    if path.suffix == ".safetensors":
        return _complete_safetensors(path)
    return path.stat().st_size > 0


def is_complete_checkpoint(folder: str | Path, required: Sequence[str] = ()) -> bool:
    """Whether a ``checkpoint-N`` folder was written to the end (a run killed mid-save leaves
    one that is not).

    Complete means: ``trainer_state.json`` (the trainer's last file) parses as JSON, the
    model's weights (``model.safetensors`` or ``pytorch_model.bin``, in the folder or in one
    module sub-folder) are whole, and every name in ``required`` is there (and whole).

    Args:
        folder: the checkpoint folder.
        required: more files the checkpoint must hold, relative to it (e.g. the
            ``pair_head.safetensors`` an :class:`ExtraStateCallback` writes).

    Example:
        >>> import json, pathlib, tempfile
        >>> from rl_shared.checkpoint import save_tensors
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "checkpoint-4"
        >>> folder.mkdir()
        >>> _ = save_tensors(folder / "model.safetensors", {"w": torch.zeros(2)})
        >>> is_complete_checkpoint(folder)  # killed before the trainer state was written
        False
        >>> _ = (folder / "trainer_state.json").write_text(json.dumps({"global_step": 4}))
        >>> is_complete_checkpoint(folder), is_complete_checkpoint(folder, ["head.safetensors"])
        (True, False)
    """
    import json

    folder = Path(folder)
    state = folder / TRAINER_STATE
    try:
        json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    weights = [
        path
        for name in _WEIGHTS
        for path in [folder / name, *folder.glob(f"*/{name}")]
        if path.is_file()
    ]
    if not weights or not all(_complete_file(path) for path in weights):
        return False
    return all(_complete_file(folder / name) for name in required)


def checkpoints(out: str | Path, required: Sequence[str] = ()) -> list[Path]:
    """The complete ``OUT/checkpoints/checkpoint-N`` folders, oldest (smallest N) first.

    Folders a killed run left half written are skipped (:func:`is_complete_checkpoint`).

    Args:
        out: the output folder given to :func:`fit`.
        required: more files each checkpoint must hold (see :func:`is_complete_checkpoint`).

    Example:
        >>> import pathlib, tempfile
        >>> checkpoints(pathlib.Path(tempfile.mkdtemp()))
        []
    """
    folder = Path(out) / "checkpoints"
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _CHECKPOINT.match(path.name)
        if match and path.is_dir() and is_complete_checkpoint(path, required):
            found.append((int(match.group(1)), path))
    return [path for _, path in sorted(found)]


def last_checkpoint(out: str | Path, required: Sequence[str] = ()) -> Path | None:
    """The newest complete ``OUT/checkpoints/checkpoint-N`` folder, or ``None``.

    A newer folder that a killed run left incomplete (no ``trainer_state.json``, weights
    missing or cut short) is passed over, so ``--resume`` continues from the last checkpoint
    that can be loaded instead of failing on the half-written one.

    Args:
        out: the output folder given to :func:`fit`.
        required: more files the checkpoint must hold (see :func:`is_complete_checkpoint`).

    Example:
        >>> import json, pathlib, tempfile
        >>> from rl_shared.checkpoint import save_tensors
        >>> out = pathlib.Path(tempfile.mkdtemp())
        >>> last_checkpoint(out) is None
        True
        >>> for n in (5, 10):
        ...     folder = out / "checkpoints" / f"checkpoint-{n}"
        ...     folder.mkdir(parents=True)
        ...     _ = save_tensors(folder / "model.safetensors", {"w": torch.zeros(2)})
        >>> _ = (out / "checkpoints" / "checkpoint-5" / "trainer_state.json").write_text("{}")
        >>> last_checkpoint(out).name  # checkpoint-10 has no trainer state: killed mid-save
        'checkpoint-5'
    """
    found = checkpoints(out, required)
    return found[-1] if found else None


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


def _warn_incomplete(out: Path, last: Path | None) -> None:
    """One ``warning:`` line on stderr per checkpoint newer than ``last`` that is skipped."""
    import sys

    folder = out / "checkpoints"
    if not folder.is_dir():
        return
    found = _CHECKPOINT.match(last.name) if last is not None else None
    floor = int(found.group(1)) if found is not None else -1
    for path in sorted(folder.iterdir()):
        match = _CHECKPOINT.match(path.name)
        if match and path.is_dir() and int(match.group(1)) > floor:
            where = f"resuming from {last.name}" if last is not None else "starting afresh"
            print(
                f"warning: skipping {path} (incomplete: a run was killed while saving it); "
                + where,
                file=sys.stderr,
            )


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
    checkpoint_files: Sequence[str] = (),
    trainer_kwargs: Mapping[str, Any] | None = None,
    args_kwargs: Mapping[str, Any] | None = None,
    device: str | torch.device | None = None,
    precision: str = "fp32",
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
        resume: continue from the last complete checkpoint in ``out/checkpoints``, if there
            is one (newer ones a killed run left half written are skipped, with a warning).
        save_steps: checkpoint interval; ``None``: no checkpoint at all, not even the final one
            the trainer writes otherwise (for throw-away runs such as reproductions).
        save_total_limit: checkpoints kept (``None``: all, e.g. for model soups).
        show_progress: the trainer's tqdm bar and log lines.
        save_model: write ``out/model`` (off: only the model object is trained); under
            ``torch.distributed`` only rank 0 writes it.
        shuffle: shuffle the data (off: batches in dataset order).
        extra_modules: modules owned by the loss to checkpoint and restore with the model.
        callbacks: more ``transformers.TrainerCallback`` objects.
        checkpoint_files: files a checkpoint must hold to be resumed from, besides the
            trainer's own and ``extra_modules``' (those a callback writes, e.g. DefSent's
            entry space); a newer checkpoint lacking one is skipped.
        trainer_kwargs: more trainer arguments.
        args_kwargs: more training arguments.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``
            (:func:`rl_shared.runtime.resolve_device`); default: CUDA when present, else CPU.
        precision: ``fp32``, or ``bf16`` / ``fp16`` mixed precision (the trainer's ``bf16`` /
            ``fp16`` arguments; :func:`rl_shared.runtime.resolve_precision` validates it).

    Returns:
        ``out/model`` (or ``out`` when ``save_model`` is off).
    """
    from rl_shared.runtime import resolve_precision, seed_everything

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
    mixed = resolve_precision(precision, "cpu" if use_cpu else "cuda")
    out = Path(out)
    extra = dict(extra_modules or {})
    required = [*checkpoint_files, *(f"{name}.safetensors" for name in extra)]
    last = last_checkpoint(out, required) if resume else None
    if resume:
        _warn_incomplete(out, last)
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
        bf16=mixed == "bf16",
        fp16=mixed == "fp16",
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
