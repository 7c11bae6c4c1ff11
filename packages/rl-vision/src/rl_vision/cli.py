"""``rl vision``: generated multi-modal scenes, Any2Seg training and evaluation, grounded captions.

Only click is imported here; torch and the models load inside the commands.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from rl_shared.cli import emit_json, json_option, seed_option

__all__ = ["group"]


def _progress(as_json: bool = False) -> Callable[[Iterable[Any], str], Iterable[Any]]:
    from tqdm.auto import tqdm

    return lambda it, desc: tqdm(
        it, desc=desc, file=sys.stderr, leave=False, disable=as_json and not sys.stderr.isatty()
    )


@click.group("vision")
def group() -> None:
    """Any2Seg (arXiv:2407.11351) on generated scenes; grounded sentence encoders (arXiv:1903.11393)."""


@group.command("scenes")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PNG to write."
)
@click.option("--count", type=click.IntRange(1, 16), default=4, show_default=True)
@click.option("--size", type=click.IntRange(16, 512), default=128, show_default=True)
@click.option(
    "--condition",
    default="clean",
    show_default=True,
    help="clean, night, fog, rain, sun, motion_blur, ...",
)
@seed_option
def scenes_cmd(out: Path, count: int, size: int, condition: str, seed: int) -> None:
    """Render COUNT generated scenes (RGB, depth, events, LiDAR, labels) into one PNG grid."""
    from rl_vision.scenes.plot import plot_scenes

    path = plot_scenes(out, range(seed, seed + count), size, condition)
    click.echo(f"wrote {path}")


@group.group("any2seg")
def any2seg() -> None:
    """Train and evaluate Any2Seg (MFF + LSCD) on generated scenes."""


@any2seg.command("train")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Run folder."
)
@click.option("--steps", type=click.IntRange(1), default=400, show_default=True)
@click.option("--teacher-steps", type=click.IntRange(1), default=300, show_default=True)
@click.option("--batch-size", type=click.IntRange(2), default=8, show_default=True)
@click.option("--size", type=click.IntRange(32, 512), default=64, show_default=True)
@click.option("--num-scenes", type=click.IntRange(2), default=512, show_default=True)
@click.option(
    "--encoder", default="resnet18", show_default=True, help="smp encoder name (weights=None)."
)
@click.option(
    "--kind", type=click.Choice(["any2seg", "early"]), default="any2seg", show_default=True
)
@click.option("--no-lscd", is_flag=True, help="Train without LSCD (no teacher).")
@click.option("--no-mff", is_flag=True, help="Average modalities instead of MFF.")
@click.option("--resume", is_flag=True, help="Continue from the newest checkpoint in --out.")
@seed_option
@json_option
def train_cmd(
    out: Path, steps: int, teacher_steps: int, batch_size: int, size: int, num_scenes: int,
    encoder: str, kind: str, no_lscd: bool, no_mff: bool, resume: bool, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Train a model (and, for LSCD, its teacher in OUT/teacher) with checkpoints."""
    from rl_vision.any2seg.pipeline import train_run

    summary = train_run(
        out, steps=steps, teacher_steps=teacher_steps, batch_size=batch_size, size=size,
        num_scenes=num_scenes, encoder=encoder, kind=kind, lscd=not no_lscd, mff=not no_mff,
        resume=resume, seed=seed, progress=_progress(as_json),
    )  # fmt: skip
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"trained {summary['kind']} for {summary['steps']} steps; weights in {summary['model']}"
        )


@any2seg.command("evaluate")
@click.option(
    "--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), required=True
)
@click.option("--modalities", default="rgb,depth,event,lidar", show_default=True)
@click.option("--condition", default="clean", show_default=True)
@click.option("--num-scenes", type=click.IntRange(1), default=128, show_default=True)
@click.option(
    "--size", type=click.IntRange(16, 512), default=None, help="Default: the training size."
)
@seed_option
@json_option
def evaluate_cmd(
    model_dir: Path, modalities: str, condition: str, num_scenes: int, size: int | None,
    seed: int, as_json: bool,
) -> None:  # fmt: skip
    """mIoU and per-class IoU on generated test scenes with the given modalities."""
    from rl_vision.any2seg.pipeline import evaluate_run

    result = evaluate_run(model_dir, modalities, condition, num_scenes, size)
    if as_json:
        emit_json(result)
        return
    click.echo(
        f"mIoU {result['miou']:.4f} ({','.join(result['modalities'])}, {condition}, {num_scenes} scenes)"
    )
    for name, value in result["per_class_iou"].items():
        click.echo(f"  {name:<12} {value:.4f}")


@group.command("grounded")
@click.option("--steps", type=click.IntRange(1), default=600, show_default=True)
@click.option("--num-scenes", type=click.IntRange(8), default=1000, show_default=True)
@click.option("--test-scenes", type=click.IntRange(10), default=200, show_default=True)
@seed_option
@json_option
def grounded_cmd(steps: int, num_scenes: int, test_scenes: int, seed: int, as_json: bool) -> None:
    """Train the grounded character encoder; print retrieval recall@k and STS-B Spearman."""
    from rl_vision.grounded.pipeline import grounded_experiment

    result = grounded_experiment(steps, num_scenes, test_scenes, seed, progress=_progress(as_json))
    if as_json:
        emit_json(result)
    else:
        for key, value in result.items():
            click.echo(f"{key:<28} {value:.4f}")
