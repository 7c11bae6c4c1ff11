"""``rl vision any2seg``: generated scenes, Any2Seg training and evaluation.

Only click is imported here; torch and the models load inside the commands.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import math
from pathlib import Path

import click

from rl_shared.cli import (
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    progress,
    resume_option,
    seed_option,
    steps_option,
)
from rl_vision.any2seg import formats  # noqa: F401  (registers the formats the options name)

__all__ = ["group"]

_workers_option = click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="DataLoader worker processes reading real frames.",
)


@click.group("any2seg")
def group() -> None:
    """Any2Seg (MFF + LSCD, arXiv:2407.11351) on generated scenes, DELIVER or MCubeS."""


@group.command("scenes")
@out_option(help="Output folder; the picture is OUT/scenes.png.")
@click.option("--count", type=click.IntRange(1, 16), default=4, show_default=True)
@click.option("--size", type=click.IntRange(16, 512), default=128, show_default=True)
@click.option(
    "--condition",
    default="clean",
    show_default=True,
    help="clean, night, fog, rain, sun, motion_blur, ...",
)
@seed_option
@json_option
def scenes_cmd(out: Path, count: int, size: int, condition: str, seed: int, as_json: bool) -> None:
    """Render COUNT generated scenes (RGB, depth, events, LiDAR, labels) into one PNG grid."""
    from rl_shared.errors import UnknownName
    from rl_vision.core.scenes.conditions import CONDITIONS
    from rl_vision.core.scenes.plot import plot_scenes

    if condition not in CONDITIONS:
        raise UnknownName("condition", condition, list(CONDITIONS))
    path = plot_scenes(out / "scenes.png", range(seed, seed + count), size, condition)
    if as_json:
        emit_json({"png": str(path), "scenes": count, "size": size, "condition": condition})
    else:
        click.echo(f"wrote {path}")


@group.command("train")
@data_option(
    default="generated",
    help="generated (rendered scenes), deliver, mcubes, or a folder holding a DELIVER or "
    "MCubeS tree; the train split is streamed ([:split] picks another).",
    formats=("any2seg-deliver", "any2seg-mcubes-train"),
)
@out_option(help="Run folder: checkpoints, OUT/model (and the LSCD teacher in OUT/teacher/model).")
@steps_option(default=400)
@click.option(
    "--teacher-steps",
    type=click.IntRange(1),
    default=300,
    show_default=True,
    help="Training steps of the LSCD teacher (all modalities).",
)
@batch_size_option(default=8)
@lr_option(default=2e-3)
@click.option(
    "--size",
    type=click.IntRange(32, 512),
    default=64,
    show_default=True,
    help="Training image side (real frames: shorter side resized to it, then a square crop).",
)
@click.option(
    "--num-scenes",
    type=click.IntRange(2),
    default=512,
    show_default=True,
    help="Generated training scenes (--data generated only).",
)
@click.option(
    "--encoder", default="resnet18", show_default=True, help="smp encoder name (weights=None)."
)
@click.option(
    "--kind",
    type=click.Choice(["any2seg", "early"]),
    default="any2seg",
    show_default=True,
    help="Any2Seg, or the early-fusion smp Unet baseline.",
)
@click.option("--no-lscd", is_flag=True, help="Train without LSCD (no teacher).")
@click.option("--no-mff", is_flag=True, help="Average modalities instead of MFF.")
@click.option(
    "--checkpoint-every",
    type=click.IntRange(0),
    default=100,
    show_default=True,
    help="Steps between checkpoints (0: only at the end).",
)
@_workers_option
@resume_option
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    data: str, out: Path, steps: int, teacher_steps: int, batch_size: int, lr: float, size: int,
    num_scenes: int, encoder: str, kind: str, no_lscd: bool, no_mff: bool, checkpoint_every: int,
    workers: int, resume: bool, device: str, precision: str, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Train a model into OUT/model (and, for LSCD, its teacher) with checkpoints.

    Real data (--data deliver, mcubes or a folder) is streamed: each frame is resized so
    its shorter side is --size and randomly cropped to a square. An interrupted run
    continues from its newest checkpoint (--no-resume starts over).
    """
    from rl_shared.runtime import resolve_device
    from rl_vision.any2seg.runs import train_run

    summary = train_run(
        out, data=data, steps=steps, teacher_steps=teacher_steps, batch_size=batch_size, lr=lr,
        size=size, num_scenes=num_scenes, encoder=encoder, kind=kind, lscd=not no_lscd,
        mff=not no_mff, resume=resume, seed=seed, workers=workers,
        checkpoint_every=checkpoint_every, device=resolve_device(device), precision=precision,
        progress=progress(as_json),
    )  # fmt: skip
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"trained {summary['kind']} for {summary['steps']} steps; model in {summary['model']}"
        )


@group.command("evaluate")
@model_option(
    default=None,
    help="A model folder of `train` (OUT/model) or its run folder OUT.",
    formats=("any2seg-model",),
)
@data_option(
    required=False,
    help="generated, deliver[:split], mcubes[:split] or a DELIVER / MCubeS folder[:split] "
    "(default split test).  [default: what the model was trained on]",
    formats=("any2seg-deliver", "any2seg-mcubes-test"),
)
@click.option("--modalities", default=None, help="Comma-separated.  [default: all the model's]")
@click.option(
    "--condition",
    default=None,
    help="Generated: one condition [default: clean]; DELIVER: cloud, fog, night, rain, sun "
    "or a comma-separated list [default: all].",
)
@click.option(
    "--num-scenes",
    type=click.IntRange(1),
    default=128,
    show_default=True,
    help="Generated test scenes.",
)
@click.option(
    "--size", type=click.IntRange(16, 512), default=None, help="Default: the training size."
)
@_workers_option
@device_option()
@precision_option
@seed_option
@json_option
def evaluate_cmd(
    model: str, data: str | None, modalities: str | None, condition: str | None,
    num_scenes: int, size: int | None, workers: int, device: str, precision: str, seed: int,
    as_json: bool,
) -> None:  # fmt: skip
    """mIoU and per-class IoU with the given modalities, on generated test scenes or a split
    of DELIVER / MCubeS (inputs resized to shorter side --size, scored at label resolution,
    void pixels left out)."""
    from rl_shared.runtime import resolve_device
    from rl_vision.any2seg.runs import evaluate_run

    result = evaluate_run(
        model, data=data, modalities=modalities, condition=condition, num_scenes=num_scenes,
        size=size, workers=workers, device=resolve_device(device), precision=precision,
        progress=progress(as_json),
    )  # fmt: skip
    # a class absent from labels and predictions has no IoU: null in JSON, "-" in text
    result["per_class_iou"] = {k: _defined(v) for k, v in result["per_class_iou"].items()}
    result["miou"] = _defined(result["miou"])
    if as_json:
        emit_json(result)
        return
    where = (
        f"{result['condition']}, {num_scenes} scenes"
        if result["data"] == "generated"
        else f"{result['data']} {result['split']}, {result['frames']} frames"
    )
    click.echo(f"mIoU {_fmt(result['miou'])} ({','.join(result['modalities'])}, {where})")
    for name, value in result["per_class_iou"].items():
        click.echo(f"  {name:<12} {_fmt(value)}")


def _defined(value: float) -> float | None:
    """``value``, or ``None`` where it is undefined (NaN)."""
    return value if math.isfinite(value) else None


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
