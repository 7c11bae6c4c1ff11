"""``rl text ...``: evaluate sentence encoders on STS by layer and width, train them.

Registered under the entry-point group ``rl.commands`` as ``text``.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["group"]


@click.group("text")
def group() -> None:
    """Sentence embeddings: STS evaluation (any layer × width) and 2DMSE training."""


def _pairs(data: str, columns: str | None):
    from rl_text.sts import load_sick, load_sts_pairs, load_stsb

    named = {"stsb": lambda s: load_stsb(s), "sick": lambda s: load_sick(s)}
    name, _, split = data.partition(":")
    if not Path(data).exists() and name in named:
        return named[name](split or "test")
    return load_sts_pairs(data, columns)


@group.command("eval-sts")
@click.option("--model", default="minilm", show_default=True, help="Short name or local folder.")
@click.option(
    "--data",
    required=True,
    help="CSV/TSV of pairs (STS-B layout unless --columns), or stsb[:split] / sick[:split].",
)
@click.option("--layer", type=int, default=None, help="Use the first L transformer layers.")
@click.option("--dim", type=int, default=None, help="Keep the first D embedding dimensions.")
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@click.option("--batch-size", type=int, default=64, show_default=True)
@seed_option
@json_option
def eval_sts_cmd(
    model: str,
    data: str,
    layer: int | None,
    dim: int | None,
    columns: str | None,
    batch_size: int,
    seed: int,
    as_json: bool,
) -> None:
    """Spearman and Pearson correlation of cosine similarity with the gold scores."""
    from rl_shared.models import load_sentence_transformer
    from rl_text.evaluation import evaluate_sts

    pairs = _pairs(data, columns)
    st = load_sentence_transformer(model)
    result = evaluate_sts(st, pairs, layer, dim, batch_size=batch_size, show_progress=not as_json)
    if as_json:
        emit_json({"model": model, "data": data, **result})
        return
    click.echo(
        f"{model} on {data} ({result['pairs']} pairs, layer {result['layer']}, dim {result['dim']})"
    )
    click.echo(f"  Spearman {result['spearman']:.4f}")
    click.echo(f"  Pearson  {result['pearson']:.4f}")


@group.command("train")
@click.option(
    "--method",
    type=click.Choice(["2dmse", "st-2dmse", "matryoshka", "cosent"]),
    default="2dmse",
    show_default=True,
)
@click.option("--model", default="minilm", show_default=True, help="Short name or local folder.")
@click.option(
    "--data", default="stsb:train", show_default=True, help="Training pairs (as eval-sts)."
)
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--steps", type=int, default=200, show_default=True)
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--lr", type=float, default=2e-5, show_default=True)
@click.option("--save-steps", type=int, default=50, show_default=True)
@click.option("--resume", is_flag=True, help="Continue from the last checkpoint in OUT.")
@seed_option
@json_option
def train_cmd(
    method: str,
    model: str,
    data: str,
    columns: str | None,
    out: str,
    steps: int,
    batch_size: int,
    lr: float,
    save_steps: int,
    resume: bool,
    seed: int,
    as_json: bool,
) -> None:
    """Fine-tune on STS pairs (CoSENT inner loss) with resumable checkpoints; save OUT/model."""
    from rl_text.train import train_sts

    pairs = _pairs(data, columns)
    # the trainer prints its log lines on stdout; with --json stdout holds the JSON alone
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():
        path = train_sts(
            model,
            pairs,
            out,
            method=method,
            steps=steps,
            batch_size=batch_size,
            learning_rate=lr,
            seed=seed,
            resume=resume,
            save_steps=save_steps,
            show_progress=True,
        )
    if as_json:
        emit_json({"method": method, "model": str(path), "steps": steps, "seed": seed})
    else:
        click.echo(f"saved {path}  (load with SentenceTransformer('{path}'))")
