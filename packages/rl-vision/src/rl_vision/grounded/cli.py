"""``rl vision grounded``: train, evaluate and use the visually grounded sentence encoder.

Only click is imported here; torch and the models load inside the commands.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

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
from rl_vision.grounded import formats  # noqa: F401  (registers the formats the options name)

__all__ = ["group"]

_STS_HELP = (
    "STS pairs for the transfer test: stsb[:split], sick[:split] or a CSV/TSV of pairs "
    "(sentence1, sentence2, score)."
)
_STS_FORMATS = ("sts-pairs", "grounded-sts-tsv")
_MODEL_HELP = "A model folder of `train` (OUT/model) or its run folder OUT."
_num_scenes_option = click.option(
    "--num-scenes",
    type=click.IntRange(8),
    default=1000,
    show_default=True,
    help="Generated training scenes (5 captions each).",
)
_test_scenes_option = click.option(
    "--test-scenes",
    type=click.IntRange(0),
    default=200,
    show_default=True,
    help="Generated test scenes for retrieval recall@k (0: none).",
)
_size_option = click.option(
    "--size",
    type=click.IntRange(32, 256),
    default=64,
    show_default=True,
    help="Image side of the generated scenes.",
)
_checkpoint_every_option = click.option(
    "--checkpoint-every",
    type=click.IntRange(0),
    default=100,
    show_default=True,
    help="Steps between checkpoints (0: only at the end).",
)
_no_sts_option = click.option("--no-sts", is_flag=True, help="Skip the STS transfer test.")


@click.group("grounded")
def group() -> None:
    """Visually grounded character-level sentence encoder (arXiv:1903.11393) on generated scenes."""


def _echo_metrics(metrics: dict) -> None:
    for key, value in metrics.items():
        click.echo(f"{key:<28} {value:.4f}" if value is not None else f"{key:<28} -")


@group.command("train")
@out_option(help="Run folder: checkpoints and the grounded model in OUT/model.")
@steps_option(default=600)
@batch_size_option(default=32)
@lr_option(default=2e-3)
@_num_scenes_option
@_size_option
@_checkpoint_every_option
@resume_option
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    out: Path, steps: int, batch_size: int, lr: float, num_scenes: int, size: int,
    checkpoint_every: int, resume: bool, device: str, precision: str, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Train the grounded encoder (hinge loss with an image encoder) into OUT/model.

    An interrupted run continues from its newest checkpoint (--no-resume starts over).
    """
    from rl_shared.runtime import resolve_device, resolve_precision
    from rl_vision.grounded.data import make_caption_data
    from rl_vision.grounded.model import GroundedConfig
    from rl_vision.grounded.runs import check_run_folder
    from rl_vision.grounded.train import train_grounded

    dev = resolve_device(device)
    resolve_precision(precision, dev)
    check_run_folder(out)
    cfg = GroundedConfig(
        steps=steps, batch_size=min(batch_size, num_scenes), lr=lr, num_scenes=num_scenes,
        size=size, seed=seed, checkpoint_every=checkpoint_every,
        encoder="tu-mobilenetv3_small_050",
    )  # fmt: skip
    data = make_caption_data(range(num_scenes), size, cfg.captions_per_scene)
    train_grounded(
        cfg, data, progress(as_json), out_dir=out, resume=resume, device=dev, precision=precision
    )
    summary = {"steps": steps, "num_scenes": num_scenes, "model": str(out / "model")}
    if as_json:
        emit_json({**summary, "device": str(dev), "precision": precision})
    else:
        click.echo(f"trained the grounded encoder for {steps} steps; model in {out / 'model'}")


@group.command("evaluate")
@model_option(default=None, help=_MODEL_HELP, formats=("grounded-model",))
@data_option(default="stsb:test", help=_STS_HELP, formats=_STS_FORMATS)
@_no_sts_option
@_test_scenes_option
@device_option()
@precision_option
@seed_option
@json_option
def evaluate_cmd(
    model: str, data: str, no_sts: bool, test_scenes: int, device: str, precision: str,
    seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Retrieval recall@k on generated test scenes and STS Spearman / Pearson of a trained model."""
    from rl_shared.runtime import resolve_device
    from rl_vision.grounded.runs import evaluate_model

    metrics = evaluate_model(
        model, sts=None if no_sts else data, test_scenes=test_scenes,
        device=resolve_device(device), precision=precision,
    )  # fmt: skip
    if as_json:
        emit_json(metrics)
    else:
        _echo_metrics(metrics)


@group.command("compare")
@data_option(default="stsb:test", help=_STS_HELP, formats=_STS_FORMATS)
@out_option(
    required=False,
    help="Run folder (optional): checkpoints, the grounded model in OUT/model, metrics.json.",
)
@steps_option(default=600)
@batch_size_option(default=32)
@lr_option(default=2e-3)
@_num_scenes_option
@_test_scenes_option
@_size_option
@_checkpoint_every_option
@_no_sts_option
@resume_option
@device_option()
@precision_option
@seed_option
@json_option
def compare_cmd(
    data: str, out: Path | None, steps: int, batch_size: int, lr: float, num_scenes: int,
    test_scenes: int, size: int, checkpoint_every: int, no_sts: bool, resume: bool, device: str,
    precision: str, seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Grounded encoder vs caption-only autoencoder vs untrained encoder on the same captions.

    Prints caption/image retrieval recall@k on the test scenes and the STS correlation of
    each encoder.
    """
    from rl_shared.runtime import resolve_device
    from rl_vision.grounded.runs import grounded_experiment

    result = grounded_experiment(
        steps, num_scenes, test_scenes, seed, size=size, batch_size=batch_size, lr=lr,
        sts=None if no_sts else data, out=out, resume=resume, checkpoint_every=checkpoint_every,
        device=resolve_device(device), precision=precision, progress=progress(as_json),
    )  # fmt: skip
    if as_json:
        emit_json(result)
    else:
        _echo_metrics(result)
        if out is not None:
            click.echo(f"grounded model in {out / 'model'}")


@group.command("encode")
@model_option(default=None, help=_MODEL_HELP, formats=("grounded-model",))
@data_option(help="UTF-8 text file, one sentence a line.", formats=("grounded-sentences",))
@out_option(help="Output folder; the (N, D) float32 unit vectors go to OUT/embeddings.npy.")
@batch_size_option(default=256)
@device_option()
@precision_option
@json_option
def encode_cmd(
    model: str, data: str, out: Path, batch_size: int, device: str, precision: str,
    as_json: bool,
) -> None:  # fmt: skip
    """Embed each line of --data with a trained grounded sentence encoder."""
    from rl_shared.runtime import resolve_device
    from rl_vision.grounded.runs import encode_file

    summary = encode_file(
        model, data, out, batch_size, device=resolve_device(device), precision=precision
    )
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"wrote {summary['sentences']} x {summary['dim']} embeddings to {summary['output']}"
        )
