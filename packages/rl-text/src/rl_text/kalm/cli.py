"""``rl text kalm``: contrastive training with the KaLM-Embedding-V2 techniques.

References:
    Zhao et al., "KaLM-Embedding-V2: Superior Training Techniques and Data Inspire A Versatile
    Embedding Model", arXiv 2025. https://arxiv.org/abs/2506.20923

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["train", "--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from rl_shared.cli import (
    FiniteFloat,
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    resume_option,
    seed_option,
    steps_option,
)
from rl_text.core.commands import check_runtime, training_output
from rl_text.kalm.formats import KALM_PAIRS

__all__ = ["group"]

POOLINGS = ("mean", "cls", "max", "lasttoken")


def _examples(data: str) -> tuple[Any, list[str] | None]:
    from rl_shared.errors import BadInput
    from rl_text.core.tasks import (
        cranfield_split,
        load_examples,
        positive_pairs,
        retrieval_examples,
    )

    if Path(data).exists():
        return load_examples(data), None
    if data == "pairs":
        return positive_pairs(), None
    if data == "cranfield":
        train, _ = cranfield_split(seed=0)
        texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in train.corpus.values()]
        return retrieval_examples(train), texts
    raise BadInput(
        f"--data must be 'pairs', 'cranfield' or a CSV/TSV of anchor,positive[,negative] rows; "
        f"got {data!r}"
    )


@click.group("kalm")
def group() -> None:
    """KaLM-Embedding-V2 recipe (arXiv:2506.20923): each technique a switch of one trainer."""


@group.command("train")
@data_option(
    default="pairs",
    help="'pairs' (STS-B pairs scored >= 4 and SICK entailment pairs), 'cranfield' (the "
    "training half of its queries) or a CSV/TSV with anchor,positive[,negative...] columns.",
    formats=(KALM_PAIRS.name,),
)
@model_option()
@out_option()
@click.option("--pooling", type=click.Choice(POOLINGS), default="mean", show_default=True)
@click.option(
    "--hard-negatives", type=click.IntRange(min=0), default=1, show_default=True,
    help="Negatives mined per example (0: in-batch negatives only).",
)  # fmt: skip
@click.option(
    "--margin", type=FiniteFloat(min=0), default=0.05, show_default=True,
    help="False-negative margin of the mining (cosine below the weakest positive).",
)  # fmt: skip
@click.option(
    "--focal-gamma", type=FiniteFloat(min=0), default=1.0, show_default=True,
    help="Focal reweighting strength (0: off).",
)  # fmt: skip
@click.option(
    "--mix-negatives", type=click.IntRange(min=0), default=8, show_default=True,
    help="Synthetic mixed hard negatives per anchor (0: off).",
)  # fmt: skip
@click.option(
    "--soup", type=click.IntRange(min=1), default=3, show_default=True,
    help="Last checkpoints averaged into the model (1: off).",
)  # fmt: skip
@click.option(
    "--temperature", type=FiniteFloat(min=0, min_open=True), default=0.05, show_default=True
)
@click.option("--shuffle/--no-shuffle", default=True, show_default=True, help="Data order.")
@click.option(
    "--gather/--no-gather", default=True, show_default=True,
    help="In-batch negatives from every torch.distributed rank.",
)  # fmt: skip
@steps_option(default=200)
@batch_size_option(default=32)
@lr_option(default=2e-5)
@click.option(
    "--save-steps", type=click.IntRange(min=1), default=50, show_default=True,
    help="Checkpoint interval without a soup (with one: steps spread over the second half).",
)  # fmt: skip
@seed_option
@device_option()
@precision_option
@resume_option
@json_option
def train(
    data: str,
    model: str,
    out: Path,
    pooling: str,
    hard_negatives: int,
    margin: float,
    focal_gamma: float,
    mix_negatives: int,
    soup: int,
    temperature: float,
    shuffle: bool,
    gather: bool,
    steps: int,
    batch_size: int,
    lr: float,
    save_steps: int,
    seed: int,
    device: str,
    precision: str,
    resume: bool,
    as_json: bool,
) -> None:
    """Train MODEL with InfoNCE and the KaLM-V2 techniques; save OUT/model.

    torchrun --nproc_per_node N -m rl_shared.cli.main text kalm train ... trains on N
    processes with negatives gathered from all of them.
    """
    from rl_text.kalm.train import KalmRecipe, train_kalm

    check_runtime(device, precision)
    recipe = KalmRecipe(
        pooling=pooling, hard_negatives=hard_negatives, false_negative_margin=margin,
        focal_gamma=focal_gamma, mixed_negatives=mix_negatives, soup=soup,
        temperature=temperature,
    )  # fmt: skip
    examples, corpus = _examples(data)
    with training_output(as_json):
        path = train_kalm(
            model, examples, out, recipe, corpus=corpus, steps=steps, batch_size=batch_size,
            learning_rate=lr, seed=seed, resume=resume,
            save_steps=None if recipe.soup > 1 else save_steps,
            gather_across_devices=gather, shuffle=shuffle, device=device, precision=precision,
        )  # fmt: skip
    if as_json:
        emit_json(
            {"model": str(path), "recipe": recipe.loss_name(), "examples": len(examples),
             "steps": steps, "seed": seed}
        )  # fmt: skip
    else:
        click.echo(f"saved {path}  (load with SentenceTransformer('{path}'))")
