"""``rl text 2dmse``: train with 2D Matryoshka (or a comparison loss), score the layers × dims grid.

References:
    Li et al., "2D Matryoshka Sentence Embeddings", arXiv 2024. https://arxiv.org/abs/2402.14776

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["train", "--help"]).exit_code
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
    resume_option,
    seed_option,
    steps_option,
)
from rl_shared.sts import STS_PAIRS_FORMAT
from rl_text.core.commands import check_runtime, format_score, training_output

__all__ = ["group"]

LOSSES = ("ours", "sentence-transformers", "matryoshka", "cosent")


def _ints(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a comma-separated list of integers") from None


@click.group("2dmse")
def group() -> None:
    """2D Matryoshka Sentence Embeddings (arXiv:2402.14776): every depth and width at once."""


@group.command("train")
@data_option(
    default="stsb:train",
    help="Scored pairs: a CSV/TSV (STS-B layout unless --columns) or stsb[:split] / sick[:split].",
    formats=(STS_PAIRS_FORMAT.name,),
)
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@model_option()
@out_option()
@click.option(
    "--loss",
    type=click.Choice(LOSSES),
    default="ours",
    show_default=True,
    help="ours: rl_text's Matryoshka2dLoss; sentence-transformers: its Matryoshka2dLoss; "
    "matryoshka: MatryoshkaLoss (widths only); cosent: the inner CoSENT loss alone.",
)
@click.option("--dims", default=None, help="Matryoshka widths, e.g. 384,256,128,64,32.")
@steps_option(default=200)
@batch_size_option(default=32)
@lr_option(default=2e-5)
@click.option("--save-steps", type=click.IntRange(min=1), default=50, show_default=True)
@seed_option
@device_option()
@precision_option
@resume_option
@json_option
def train(
    data: str,
    columns: str | None,
    model: str,
    out: Path,
    loss: str,
    dims: str | None,
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
    """Fine-tune MODEL on scored pairs with LOSS; save OUT/model (resumable checkpoints).

    Every loss wraps sentence-transformers' CoSENTLoss on the gold scores and trains through
    SentenceTransformerTrainer (torchrun runs it on several processes).
    """
    from rl_shared.sts import named_or_file_pairs
    from rl_text.matryoshka2d.train import train_sts

    check_runtime(device, precision)
    widths = _ints(dims)
    pairs = named_or_file_pairs(data, columns)
    with training_output(as_json):
        path = train_sts(
            model, pairs, out, loss=loss, dims=widths, steps=steps, batch_size=batch_size,
            learning_rate=lr, seed=seed, resume=resume, save_steps=save_steps, device=device,
            precision=precision,
        )  # fmt: skip
    if as_json:
        emit_json(
            {"loss": loss, "model": str(path), "pairs": len(pairs), "steps": steps, "seed": seed}
        )
    else:
        click.echo(f"saved {path}  (load with SentenceTransformer('{path}'))")


@group.command("evaluate")
@model_option()
@data_option(
    default="stsb:test",
    help="Scored pairs: a CSV/TSV or stsb[:split] / sick[:split].",
    formats=(STS_PAIRS_FORMAT.name,),
)
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@click.option("--layers", default=None, help="Depths, e.g. 1,3,6 (default: every layer).")
@click.option("--dims", default=None, help="Widths, e.g. 384,64 (default: the full width).")
@batch_size_option(default=64)
@seed_option
@device_option()
@precision_option
@json_option
def evaluate(
    model: str,
    data: str,
    columns: str | None,
    layers: str | None,
    dims: str | None,
    batch_size: int,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Spearman of cosine similarity for every (layer, width) of MODEL, one pass per batch."""
    from rl_shared.models import load_sentence_transformer
    from rl_shared.sts import named_or_file_pairs
    from rl_text.core.evaluation import evaluate_sts_grid

    where = check_runtime(device, precision)
    pairs = named_or_file_pairs(data, columns)
    st = load_sentence_transformer(model, device=where)
    grid = evaluate_sts_grid(
        st, pairs, _ints(layers), _ints(dims), batch_size=batch_size, show_progress=not as_json,
        precision=precision,
    )  # fmt: skip
    rows = [{"layer": layer, "dim": dim, **scores} for (layer, dim), scores in grid.items()]
    if as_json:
        emit_json({"model": model, "data": data, "pairs": len(pairs), "grid": rows})
        return
    click.echo(f"{model} on {data} ({len(pairs)} pairs)")
    for row in rows:
        spearman = format_score(row["spearman"])
        click.echo(f"  layer {row['layer']:>2} dim {row['dim']:>4}: Spearman {spearman}")
