"""Any2Seg run folders: what ``rl vision any2seg train`` and ``evaluate`` do.

:func:`train_run` trains the LSCD teacher into ``out/teacher`` and a model into ``out``
(checkpoints in ``out/checkpoints``, the trained model in ``out/model``), on generated
scenes or on the train split of the real dataset ``--data`` names
(:func:`~rl_vision.any2seg.data.resolve_data`); a run folder with checkpoints is resumed.
:func:`evaluate_run` measures a trained model on test data from ``--data``.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import torch
from torch import Tensor

from rl_shared.errors import BadInput, UnknownName
from rl_shared.runtime import autocast, resolve_device, resolve_precision
from rl_vision.any2seg.config import TRAIN_CONDITIONS, TrainConfig
from rl_vision.any2seg.evaluation import TEST_SEED_OFFSET, evaluate, evaluate_frames
from rl_vision.any2seg.model_folder import load_model
from rl_vision.any2seg.sources import BatchSource, DatasetSource, PoolSource
from rl_vision.any2seg.teacher import TrainedTeacher
from rl_vision.any2seg.train import Progress, train
from rl_vision.core.scenes.conditions import CONDITIONS
from rl_vision.core.scenes.dataset import make_batch, parse_modalities

__all__ = ["evaluate_run", "train_run"]


def _teacher(
    out: Path,
    base: TrainConfig,
    steps: int,
    text: Tensor | None,
    source: BatchSource,
    resume: bool,
    progress: Progress | None,
    device: str | torch.device,
    precision: str,
) -> TrainedTeacher:
    folder = out / "teacher"
    if resume and (folder / "model" / "config.json").is_file():
        return cast(TrainedTeacher, load_model(folder)[0])
    cfg = TrainConfig(
        **{**base.__dict__, "kind": "teacher", "steps": steps, "modality_dropout": False}
    )
    return cast(
        TrainedTeacher,
        train(
            cfg,
            folder,
            text=text,
            resume=resume,
            progress=progress,
            source=source,
            device=device,
            precision=precision,
        ),
    )


def train_run(
    out: str | Path,
    *,
    data: str = "generated",
    steps: int = 400,
    teacher_steps: int = 300,
    batch_size: int = 8,
    lr: float = 2e-3,
    size: int = 64,
    num_scenes: int = 512,
    encoder: str = "resnet18",
    kind: str = "any2seg",
    lscd: bool = True,
    mff: bool = True,
    resume: bool = True,
    seed: int = 0,
    workers: int = 0,
    checkpoint_every: int = 100,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Train (the LSCD teacher into ``out/teacher`` and) a model into ``out``; return a summary.

    The trained model is ``out/model`` (the teacher's ``out/teacher/model``); checkpoints
    are in ``out/checkpoints``.

    Args:
        out: the run folder.
        data: ``"generated"`` (``num_scenes`` rendered scenes), or a real dataset's train
            split, streamed (``deliver``, ``mcubes``, or a folder holding either; see
            :func:`~rl_vision.any2seg.data.resolve_data`; ``num_scenes`` is not used).
        resume: continue from the newest checkpoints in ``out`` when there are some;
            ``False`` starts over.
        workers: DataLoader worker processes reading real frames.
        checkpoint_every: steps between checkpoints.
        device: where to train: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (under
            ``torchrun`` each process takes its local device).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the training steps.
        progress: wraps the step loops, e.g. ``rl_shared.cli.progress(as_json)``.
        Others: see :class:`TrainConfig`.

    Raises:
        UnknownName: an ``encoder`` smp cannot build.
        BadInput: ``out`` is a non-empty folder that is not a run folder, or a real split
            with fewer frames than ``batch_size``.
        MalformedFile: a real dataset's listing or frames cannot be read (checked before
            training starts; see :func:`~rl_vision.any2seg.data.open_dataset`).

    Example:
        An early-fusion model (no LSCD teacher, so no text model) for one step:

        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "run"
        >>> summary = train_run(out, kind="early", steps=1, batch_size=2, num_scenes=2,
        ...                     size=32, encoder="tu-mobilenetv3_small_050", checkpoint_every=0)
        >>> summary["data"], summary["teacher"], Path(summary["model"]) == out / "model"
        ('generated', None, True)
    """
    from rl_vision.any2seg.data import REAL_DATASETS, frame_channels, open_dataset, resolve_data
    from rl_vision.any2seg.text import class_text_embeddings
    from rl_vision.core.encoders import check_encoder

    check_encoder(encoder)
    spec = resolve_data(data, "train")
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "checkpoints").exists():
        if not (out / "model").exists():
            raise BadInput(f"{out} exists and is not an Any2Seg run folder; choose another --out")
    device = resolve_device(str(device))
    resolve_precision(precision, device)  # a bad --precision fails before any data is read
    common = dict(
        kind=kind, fusion="mff" if mff else "mean", lscd_weight=1.0 if (lscd and kind == "any2seg") else 0.0,
        steps=steps, batch_size=batch_size, lr=lr, size=size, encoder=encoder, seed=seed,
        checkpoint_every=checkpoint_every,
    )  # fmt: skip
    source: BatchSource
    if spec.kind == "generated":
        cfg = TrainConfig(num_scenes=num_scenes, **common)  # type: ignore[arg-type]
        source = PoolSource(make_batch(range(num_scenes), size, TRAIN_CONDITIONS))
    else:
        assert spec.root is not None and spec.split is not None
        frames = open_dataset(spec.kind, spec.root, spec.split)
        n = len(frames)  # type: ignore[arg-type]
        if n < batch_size:
            raise BadInput(
                f"the {REAL_DATASETS[spec.kind].title} {spec.split} split in {spec.root} has "
                f"{n} frames, fewer than the batch size {batch_size}"
            )
        channels = frame_channels(frames)
        cfg = TrainConfig(
            num_scenes=n, dataset=spec.kind, modalities=tuple(channels), channels=channels,
            classes=REAL_DATASETS[spec.kind].classes, train_conditions=(), **common,  # type: ignore[arg-type]
        )  # fmt: skip
        source = DatasetSource(frames, size, num_workers=workers)
    text = class_text_embeddings(cfg.classes) if cfg.lscd_weight > 0 else None
    teacher = (
        _teacher(out, cfg, teacher_steps, text, source, resume, progress, device, precision)
        if cfg.lscd_weight > 0
        else None
    )
    train(
        cfg, out, teacher=teacher, text=text, resume=resume, progress=progress, source=source,
        device=device, precision=precision,
    )  # fmt: skip
    return {
        "kind": kind,
        "data": spec.kind,
        "data_root": str(spec.root) if spec.root is not None else None,
        "split": spec.split,
        "steps": steps,
        "classes": len(cfg.classes),
        "modalities": list(cfg.modalities),
        "model": str(out / "model"),
        "teacher": str(out / "teacher" / "model") if teacher is not None else None,
        "device": str(device),
        "precision": precision,
    }


def evaluate_run(
    model_dir: str | Path,
    *,
    data: str | None = None,
    modalities: str | None = None,
    condition: str | None = None,
    num_scenes: int = 128,
    size: int | None = None,
    workers: int = 0,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """mIoU and per-class IoU of the model in ``model_dir``.

    Args:
        model_dir: a model folder of :func:`~rl_vision.any2seg.model_folder.save_model`, or
            the run folder above it.
        data: what to evaluate on: ``generated``, ``deliver[:split]``, ``mcubes[:split]``
            or a folder holding either (default split ``test``); default: generated test
            scenes for a model trained on them, else the registered dataset it was trained on.
        modalities: comma-separated modalities given to the model (default all it knows).
        condition: generated: one condition (default clean); DELIVER: a condition or a
            comma-separated list (default all); MCubeS: none.
        num_scenes: generated test scenes (generated only).
        size: input size (shorter side for real data; default the training size).
        workers: DataLoader worker processes reading real frames.
        device: where the model runs (``auto``, ``cpu``, ``cuda[:N]``, ``mps``).
        precision: ``fp32``, or ``bf16`` / ``fp16`` autocast of the forward passes.
        progress: wraps the frame loop of real-data evaluation.

    Raises:
        BadInput: ``data`` is not the kind of data the model was trained on.
        UnknownName: a modality the data or the model does not have, or an unknown condition.
        MalformedFile: the model folder, or the data's listing or frames, cannot be read.

    Example:
        An untrained early-fusion model's folder stands in for a trained one:

        >>> import tempfile
        >>> from rl_vision.any2seg.config import build_model
        >>> from rl_vision.any2seg.model_folder import save_model
        >>> cfg = TrainConfig(kind="early", num_scenes=8, size=32, depth=3,
        ...                   encoder="tu-mobilenetv3_small_050")
        >>> folder = save_model(build_model(cfg), cfg, Path(tempfile.mkdtemp()) / "model")
        >>> result = evaluate_run(folder, modalities="lidar,rgb", condition="fog", num_scenes=2)
        >>> result["modalities"], result["condition"], 0 <= result["miou"] <= 1
        (['rgb', 'lidar'], 'fog', True)
    """
    from rl_vision.any2seg.data import REAL_DATASETS, open_dataset, resolve_data

    where = resolve_device(str(device))
    resolve_precision(precision, where)
    model, cfg = load_model(model_dir)
    spec = resolve_data(data if data is not None else cfg.dataset, "test")
    if spec.kind == "generated":
        if cfg.dataset != "generated":
            raise BadInput(
                f"the model in {model_dir} was trained on {cfg.dataset} data, not on generated"
            )
        names = (
            parse_modalities(modalities, tuple(cfg.channels))
            if modalities is not None
            else tuple(cfg.modalities)
        )
        condition = condition or "clean"
        if condition not in CONDITIONS:
            raise UnknownName("condition", condition, list(CONDITIONS))
        model.to(where)
        scenes = make_batch(
            range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + num_scenes), size or cfg.size, condition
        )
        with autocast(where, precision):
            result = evaluate(model, scenes, names, classes=cfg.classes)
        return {
            "data": "generated",
            "modalities": list(names),
            "condition": condition,
            "num_scenes": num_scenes,
            **result,
        }
    assert spec.root is not None and spec.split is not None
    known = REAL_DATASETS[spec.kind].modalities
    if modalities is not None:
        names = parse_modalities(modalities, known)
    else:
        names = tuple(cfg.modalities) if spec.kind == cfg.dataset else known
    # open (and so check) the data the user named before comparing it with the model
    frames = open_dataset(spec.kind, spec.root, spec.split, names, condition)
    if spec.kind != cfg.dataset:
        raise BadInput(
            f"the model in {model_dir} was trained on {cfg.dataset} data, not on {spec.kind}"
        )
    names = parse_modalities(list(names), tuple(cfg.channels))
    model.to(where)
    with autocast(where, precision):
        result = evaluate_frames(
            model, frames, names, cfg.classes, size or cfg.size, num_workers=workers,
            progress=progress,
        )  # fmt: skip
    return {
        "data": spec.kind,
        "data_root": str(spec.root),
        "split": spec.split,
        "modalities": list(names),
        "condition": condition,
        **result,
    }
