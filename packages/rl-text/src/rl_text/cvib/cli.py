"""``rl text absa train|evaluate``: aspect sentiment by fine-tuning or CVIB.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(absa, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import contextlib
import sys

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["absa"]


def _examples(data: str, domain: str, split: str):
    from pathlib import Path

    from rl_shared.errors import BadInput
    from rl_text.cvib.data import load_absa, load_semeval14

    path = Path(data)
    if path.is_file():
        return load_absa(path)
    if path.is_dir():
        return load_semeval14(domain, split, path)
    raise BadInput(f"--data {data} is neither a .seg/.xml file nor a folder of SemEval-2014 files")


@click.group("absa")
def absa() -> None:
    """Aspect-based sentiment (SemEval-2014): fine-tuning vs CVIB."""


@absa.command("train")
@click.option("--data", required=True, help="Folder with the SemEval-2014 .seg files, or one file.")
@click.option("--domain", type=click.Choice(["laptop", "restaurant"]), default="laptop")
@click.option("--method", type=click.Choice(["finetune", "cvib"]), default="finetune")
@click.option("--model", default="minilm", show_default=True, help="Encoder name or folder.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--steps", type=int, default=200, show_default=True)
@click.option("--batch-size", type=int, default=16, show_default=True)
@click.option("--lr", type=float, default=5e-5, show_default=True)
@click.option("--beta", type=float, default=0.1, show_default=True, help="KL weight (cvib).")
@click.option("--contrastive-weight", type=float, default=0.5, show_default=True, help="λ (cvib).")
@seed_option
@json_option
def train_cmd(
    data: str,
    domain: str,
    method: str,
    model: str,
    out: str,
    steps: int,
    batch_size: int,
    lr: float,
    beta: float,
    contrastive_weight: float,
    seed: int,
    as_json: bool,
) -> None:
    """Train on the train split; save OUT (encoder/ + head.safetensors + absa.json)."""
    from rl_text.cvib.train import AbsaTrainConfig, train_absa

    examples = _examples(data, domain, "train")
    config = AbsaTrainConfig(
        method=method,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        beta=beta,
        contrastive_weight=contrastive_weight,
        seed=seed,
    )
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():
        trained = train_absa(model, examples, config, out=out, show_progress=not as_json)
    info = {"method": method, "model": out, "steps": steps, "seed": seed, "train": len(examples)}
    if trained.gates is not None:
        info.update(trained.gates.summary())
    info["final_loss"] = round(trained.train_log[-1]["loss"], 4)
    if as_json:
        emit_json(info)
    else:
        click.echo(f"saved {out}  ({method}, {steps} steps, final loss {info['final_loss']})")


@absa.command("evaluate")
@click.option("--model", "model_dir", required=True, help="Folder written by `absa train`.")
@click.option("--data", required=True, help="Folder with the SemEval-2014 .seg files, or one file.")
@click.option("--domain", type=click.Choice(["laptop", "restaurant"]), default="laptop")
@click.option("--split", type=click.Choice(["train", "test"]), default="test")
@click.option(
    "--network",
    type=click.Choice(["original", "pruned"]),
    default="original",
    show_default=True,
    help="CVIB models: the original or the self-pruned network.",
)
@click.option("--disagreeing", is_flag=True, help="Only aspects that disagree with their sentence.")
@json_option
def evaluate_cmd(
    model_dir: str,
    data: str,
    domain: str,
    split: str,
    network: str,
    disagreeing: bool,
    as_json: bool,
) -> None:
    """Accuracy and macro-F1 of a trained model."""
    from rl_text.cvib.data import disagreeing_subset
    from rl_text.cvib.model import load_absa_model
    from rl_text.cvib.train import evaluate_absa

    examples = _examples(data, domain, split)
    if disagreeing:
        examples = disagreeing_subset(examples)
    model = load_absa_model(model_dir)
    result = evaluate_absa(model, examples, pruned=network == "pruned")
    if as_json:
        emit_json({"model": model_dir, "data": data, "network": network, **result})
        return
    click.echo(f"{model_dir} on {data} ({result['n']} aspects, {network} network)")
    click.echo(f"  accuracy {result['accuracy']:.4f}")
    click.echo(f"  macro-F1 {result['macro_f1']:.4f}")
