"""``rl text codiemb``: joint retrieval + STS training on Cranfield and STS-B.

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv 2025.
    https://arxiv.org/abs/2508.11442

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

__all__ = ["group"]


def _with_negatives(model: str, split: Any, device: Any, precision: str) -> Any:
    """The training queries of ``split`` with 2 hard negatives each, mined by ``model``."""
    from rl_shared.models import load_sentence_transformer
    from rl_text.core.tasks import Examples, mine_negatives, retrieval_examples

    st = load_sentence_transformer(model, device=device)
    ex = retrieval_examples(split)
    texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in split.corpus.values()]
    negatives = mine_negatives(st, ex.anchors, ex.positives, texts, num=2, precision=precision)
    return Examples(ex.anchors, ex.positives, negatives)


@click.group("codiemb")
def group() -> None:
    """CoDiEmb (arXiv:2508.11442): retrieval and STS trained together, each its own way."""


@group.command("train")
@model_option()
@out_option()
@click.option(
    "--retrieval-batch-size", type=click.IntRange(min=1), default=16, show_default=True,
    help="Queries per retrieval batch.",
)  # fmt: skip
@click.option(
    "--sts-batch-size", type=click.IntRange(min=1), default=32, show_default=True,
    help="Pairs per STS batch.",
)  # fmt: skip
@click.option(
    "--temperature", type=FiniteFloat(min=0, min_open=True), default=0.05, show_default=True
)
@click.option(
    "--naive", is_flag=True,
    help="The naive co-training baseline: one batch size, plain InfoNCE, CoSENT alone.",
)  # fmt: skip
@steps_option(default=200)
@lr_option(default=2e-5)
@click.option("--save-steps", type=click.IntRange(min=1), default=50, show_default=True)
@seed_option
@device_option()
@precision_option
@resume_option
@json_option
def train(
    model: str,
    out: Path,
    retrieval_batch_size: int,
    sts_batch_size: int,
    temperature: float,
    naive: bool,
    steps: int,
    lr: float,
    save_steps: int,
    seed: int,
    device: str,
    precision: str,
    resume: bool,
    as_json: bool,
) -> None:
    """Train MODEL on Cranfield's training queries (2 mined negatives each) and STS-B train.

    The held-out half of Cranfield's queries is never trained on. Saves OUT/model.
    """
    from rl_shared.sts import load_stsb
    from rl_text.codiemb.train import train_codiemb
    from rl_text.core.tasks import cranfield_split

    where = check_runtime(device, precision)
    split, _ = cranfield_split(seed=0)
    with training_output(as_json):
        retrieval = _with_negatives(model, split, where, precision)
        path = train_codiemb(
            model, retrieval, load_stsb("train"), out, retrieval_batch_size=retrieval_batch_size,
            sts_batch_size=sts_batch_size, naive=naive, temperature=temperature, steps=steps,
            learning_rate=lr, seed=seed, resume=resume, save_steps=save_steps, device=device,
            precision=precision,
        )  # fmt: skip
    if as_json:
        emit_json({"model": str(path), "naive": naive, "steps": steps, "seed": seed})
    else:
        click.echo(f"saved {path}  (load with SentenceTransformer('{path}'))")
