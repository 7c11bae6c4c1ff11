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


_dataset_option = click.option(
    "--dataset",
    type=click.Choice(["generated", "deliver", "mcubes"]),
    default="generated",
    show_default=True,
    help="Generated scenes, or the train split of a real dataset.",
)
_data_root_option = click.option(
    "--data-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of DELIVER / MCubeS.  [default: $RL_DATA_DIR/vision/DELIVER or .../MCubeS]",
)
_workers_option = click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="DataLoader worker processes reading real frames.",
)


@group.group("any2seg")
def any2seg() -> None:
    """Train and evaluate Any2Seg (MFF + LSCD) on generated scenes, DELIVER or MCubeS."""


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
@click.option("--checkpoint-every", type=click.IntRange(0), default=100, show_default=True)
@_dataset_option
@_data_root_option
@_workers_option
@seed_option
@json_option
def train_cmd(
    out: Path, steps: int, teacher_steps: int, batch_size: int, size: int, num_scenes: int,
    encoder: str, kind: str, no_lscd: bool, no_mff: bool, resume: bool, checkpoint_every: int,
    dataset: str, data_root: Path | None, workers: int, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Train a model (and, for LSCD, its teacher in OUT/teacher) with checkpoints.

    With --dataset deliver or mcubes the train split below --data-root is streamed: each
    frame is resized so its shorter side is --size and randomly cropped to a square.
    """
    from rl_vision.any2seg.pipeline import train_run

    summary = train_run(
        out, steps=steps, teacher_steps=teacher_steps, batch_size=batch_size, size=size,
        num_scenes=num_scenes, encoder=encoder, kind=kind, lscd=not no_lscd, mff=not no_mff,
        resume=resume, seed=seed, dataset=dataset, data_root=data_root, workers=workers,
        checkpoint_every=checkpoint_every, progress=_progress(as_json),
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
@click.option("--modalities", default=None, help="Comma-separated.  [default: all the model's]")
@click.option(
    "--condition",
    default=None,
    help="Generated: one condition [default: clean]; DELIVER: cloud, fog, night, rain, sun "
    "or a comma-separated list [default: all].",
)
@click.option("--num-scenes", type=click.IntRange(1), default=128, show_default=True)
@click.option(
    "--size", type=click.IntRange(16, 512), default=None, help="Default: the training size."
)
@click.option(
    "--dataset",
    type=click.Choice(["generated", "deliver", "mcubes"]),
    default=None,
    help="Default: what the model was trained on.",
)
@_data_root_option
@click.option(
    "--split",
    type=click.Choice(["train", "val", "test"]),
    default=None,
    help="Real data only.  [default: test]",
)
@_workers_option
@seed_option
@json_option
def evaluate_cmd(
    model_dir: Path, modalities: str | None, condition: str | None, num_scenes: int,
    size: int | None, dataset: str | None, data_root: Path | None, split: str | None,
    workers: int, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """mIoU and per-class IoU with the given modalities, on generated test scenes or a split
    of DELIVER / MCubeS (inputs resized to shorter side --size, scored at label resolution,
    void pixels left out)."""
    from rl_vision.any2seg.pipeline import evaluate_run

    result = evaluate_run(
        model_dir, modalities, condition, num_scenes, size, dataset=dataset,
        data_root=data_root, split=split, workers=workers, progress=_progress(as_json),
    )  # fmt: skip
    if as_json:
        emit_json(result)
        return
    where = (
        f"{result['condition']}, {num_scenes} scenes"
        if "num_scenes" in result
        else f"{result['dataset']} {result['split']}, {result['frames']} frames"
    )
    click.echo(f"mIoU {result['miou']:.4f} ({','.join(result['modalities'])}, {where})")
    for name, value in result["per_class_iou"].items():
        click.echo(f"  {name:<12} {value:.4f}")


@group.group("grounded", invoke_without_command=True)
@click.option("--steps", type=click.IntRange(1), default=600, show_default=True)
@click.option("--num-scenes", type=click.IntRange(8), default=1000, show_default=True)
@click.option("--test-scenes", type=click.IntRange(10), default=200, show_default=True)
@click.option("--size", type=click.IntRange(32, 256), default=64, show_default=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run folder: checkpoints, the grounded model (OUT/final) and metrics.json.",
)
@click.option("--resume", is_flag=True, help="Continue from the newest checkpoints in --out.")
@click.option("--checkpoint-every", type=click.IntRange(0), default=100, show_default=True)
@click.option("--no-stsb", is_flag=True, help="Skip the STS-B transfer test.")
@seed_option
@json_option
@click.pass_context
def grounded_cmd(
    ctx: click.Context, steps: int, num_scenes: int, test_scenes: int, size: int,
    out: Path | None, resume: bool, checkpoint_every: int, no_stsb: bool, seed: int,
    as_json: bool,
) -> None:  # fmt: skip
    """Train the grounded character encoder; print retrieval recall@k and STS-B Spearman.

    `rl vision grounded encode` embeds sentences with a model trained with --out.
    """
    if ctx.invoked_subcommand is not None:
        return
    from rl_vision.grounded.pipeline import grounded_experiment

    result = grounded_experiment(
        steps, num_scenes, test_scenes, seed, size=size, stsb=not no_stsb, out=out,
        resume=resume, checkpoint_every=checkpoint_every, progress=_progress(as_json),
    )  # fmt: skip
    if as_json:
        emit_json(result)
    else:
        for key, value in result.items():
            click.echo(f"{key:<28} {value:.4f}")
        if out is not None:
            click.echo(f"grounded model in {out / 'final'}")


@grounded_cmd.command("encode")
@click.option(
    "--model", "model_dir", type=click.Path(path_type=Path), required=True,
    help="Run folder of `rl vision grounded --out`.",
)  # fmt: skip
@click.option(
    "--input", "input_path", type=click.Path(path_type=Path), required=True,
    help="UTF-8 text file, one sentence a line.",
)  # fmt: skip
@click.option(
    "--output", "output_path", type=click.Path(path_type=Path), required=True,
    help=".npy file for the (N, D) float32 unit vectors.",
)  # fmt: skip
@click.option("--batch-size", type=click.IntRange(1), default=256, show_default=True)
@json_option
def grounded_encode_cmd(
    model_dir: Path, input_path: Path, output_path: Path, batch_size: int, as_json: bool
) -> None:
    """Embed each line of --input with a trained grounded sentence encoder."""
    from rl_vision.grounded.storage import encode_file

    summary = encode_file(model_dir, input_path, output_path, batch_size)
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {summary['sentences']} x {summary['dim']} embeddings to {summary['output']}"
        )
