"""What ``rl vision any2seg train`` and ``evaluate`` do: teacher, student, test data.

``dataset="generated"`` renders ``num_scenes`` training scenes (and fresh test scenes);
``"deliver"`` and ``"mcubes"`` stream the real dataset's train split from ``data_root``
(see :mod:`rl_vision.any2seg.sources` and :mod:`rl_vision.any2seg.real_data`) and take
modalities, channels and class names from it; the class-prompt text embeddings of LSCD
are made from those class names.

Example:
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> s = train_run(out, steps=1, batch_size=2, size=32, num_scenes=2, lscd=False)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rl_shared.errors import BadInput
from rl_vision.any2seg.sources import BatchSource, DatasetSource, PoolSource
from rl_vision.any2seg.training import TEST_SEED_OFFSET, TrainConfig, evaluate, load_model, train
from rl_vision.scenes.dataset import make_batch, parse_modalities

__all__ = ["evaluate_run", "train_run"]

DATASET_KINDS: tuple[str, ...] = ("generated", "deliver", "mcubes")


def _teacher(
    out: Path,
    base: TrainConfig,
    steps: int,
    text: Any,
    source: BatchSource,
    resume: bool,
    progress: Any,
) -> Any:
    folder = out / "teacher"
    if resume and (folder / "final" / "model.json").is_file():
        return load_model(folder)[0]
    cfg = TrainConfig(
        **{**base.__dict__, "kind": "teacher", "steps": steps, "modality_dropout": False}
    )
    return train(cfg, folder, text=text, resume=resume, progress=progress, source=source)


def _check_kind(dataset: str) -> None:
    if dataset not in DATASET_KINDS:
        raise BadInput(f"dataset must be one of {', '.join(DATASET_KINDS)}, got '{dataset}'")


def train_run(
    out: str | Path,
    *,
    steps: int = 400,
    teacher_steps: int = 300,
    batch_size: int = 8,
    size: int = 64,
    num_scenes: int = 512,
    encoder: str = "resnet18",
    kind: str = "any2seg",
    lscd: bool = True,
    mff: bool = True,
    resume: bool = False,
    seed: int = 0,
    dataset: str = "generated",
    data_root: str | Path | None = None,
    workers: int = 0,
    checkpoint_every: int = 100,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> dict[str, Any]:
    """Train (teacher and) model into ``out``; return a summary.

    Args:
        dataset: ``"generated"`` (``num_scenes`` rendered scenes), ``"deliver"`` or
            ``"mcubes"`` (the train split below ``data_root``, streamed; ``num_scenes``
            is not used).
        data_root: the real dataset's folder (default: the registered one below
            ``$RL_DATA_DIR``).
        workers: DataLoader worker processes reading real frames.
        checkpoint_every: steps between checkpoints.
        Others: see :class:`~rl_vision.any2seg.training.TrainConfig`.
    """
    from rl_vision.any2seg.text import class_text_embeddings
    from rl_vision.any2seg.training import TRAIN_CONDITIONS

    _check_kind(dataset)
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not resume and not (out / "checkpoints").exists():
        raise BadInput(f"{out} exists and is not an rl-vision run folder; choose another --out")
    common = dict(
        kind=kind, fusion="mff" if mff else "mean", lscd_weight=1.0 if (lscd and kind == "any2seg") else 0.0,
        steps=steps, batch_size=batch_size, size=size, encoder=encoder, seed=seed,
        checkpoint_every=checkpoint_every,
    )  # fmt: skip
    source: BatchSource
    root = None
    if dataset == "generated":
        if data_root is not None:
            raise BadInput("--data-root is only used with --dataset deliver or mcubes")
        cfg = TrainConfig(num_scenes=num_scenes, **common)  # type: ignore[arg-type]
        source = PoolSource(make_batch(range(num_scenes), size, TRAIN_CONDITIONS))
    else:
        from rl_vision.any2seg.real_data import (
            REAL_DATASETS,
            frame_channels,
            open_dataset,
            resolve_root,
        )

        root = resolve_root(dataset, data_root)
        frames = open_dataset(dataset, root, "train")
        n = len(frames)  # type: ignore[arg-type]
        if n < batch_size:
            raise BadInput(
                f"the {REAL_DATASETS[dataset].title} train split in {root} has {n} frames, "
                f"fewer than the batch size {batch_size}"
            )
        channels = frame_channels(frames)
        cfg = TrainConfig(
            num_scenes=n, dataset=dataset, modalities=tuple(channels), channels=channels,
            classes=REAL_DATASETS[dataset].classes, train_conditions=(), **common,  # type: ignore[arg-type]
        )  # fmt: skip
        source = DatasetSource(frames, size, num_workers=workers)
    text = class_text_embeddings(cfg.classes) if cfg.lscd_weight > 0 else None
    teacher = (
        _teacher(out, cfg, teacher_steps, text, source, resume, progress)
        if cfg.lscd_weight > 0
        else None
    )
    train(cfg, out, teacher=teacher, text=text, resume=resume, progress=progress, source=source)
    return {
        "kind": kind,
        "dataset": dataset,
        "data_root": str(root) if root is not None else None,
        "steps": steps,
        "classes": len(cfg.classes),
        "modalities": list(cfg.modalities),
        "model": str(out / "final"),
        "teacher": teacher is not None,
    }


def evaluate_run(
    model_dir: str | Path,
    modalities: str | None = None,
    condition: str | None = None,
    num_scenes: int = 128,
    size: int | None = None,
    *,
    dataset: str | None = None,
    data_root: str | Path | None = None,
    split: str | None = None,
    workers: int = 0,
    progress: Callable[[Iterable[Any], str], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """mIoU and per-class IoU of the model in ``model_dir``.

    Args:
        model_dir: a run folder of :func:`train_run`.
        modalities: comma-separated modalities given to the model (default all it knows).
        condition: generated: one condition (default clean); DELIVER: a condition or a
            comma-separated list (default all); MCubeS: none.
        num_scenes: generated test scenes (generated only).
        size: input size (shorter side for real data; default the training size).
        dataset: what to evaluate on (default: what the model was trained on; must match).
        data_root: the real dataset's folder (default: the registered one).
        split: real data: ``"val"`` or ``"test"`` (default test; ``"train"`` works too).
        workers: DataLoader worker processes reading real frames.
        progress: wraps the frame loop of real-data evaluation.
    """
    model, cfg = load_model(model_dir)
    kind = dataset or cfg.dataset
    _check_kind(kind)
    if kind != cfg.dataset:
        raise BadInput(f"the model in {model_dir} was trained on {cfg.dataset} data, not on {kind}")
    names = (
        parse_modalities(modalities, tuple(cfg.channels))
        if modalities is not None
        else tuple(cfg.modalities)
    )
    if kind == "generated":
        if data_root is not None or split is not None:
            raise BadInput("--data-root and --split are only used with deliver or mcubes models")
        condition = condition or "clean"
        data = make_batch(
            range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + num_scenes), size or cfg.size, condition
        )
        result = evaluate(model, data, names, classes=cfg.classes)
        return {
            "modalities": list(names),
            "condition": condition,
            "num_scenes": num_scenes,
            **result,
        }
    from rl_vision.any2seg.real_data import evaluate_frames, open_dataset, resolve_root

    root = resolve_root(kind, data_root)
    split = split or "test"
    frames = open_dataset(kind, root, split, names, condition)
    result = evaluate_frames(
        model, frames, names, cfg.classes, size or cfg.size, num_workers=workers, progress=progress
    )
    return {
        "dataset": kind,
        "split": split,
        "modalities": list(names),
        "condition": condition,
        **result,
    }
