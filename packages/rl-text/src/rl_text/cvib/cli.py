"""``rl text cvib train|evaluate``: aspect sentiment by plain fine-tuning or by CVIB.

``--data`` is a SemEval-2014 ``.seg`` / ``.xml`` file, a folder with the four SemEval-2014
``.seg`` files, or the registered dataset ``semeval14`` (``--domain`` picks laptop or
restaurant). ``train`` saves the classifier to ``OUT/model/``.

References:
    Chang et al., "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with
    Variational Information Bottleneck and Contrastive Learning" (CVIB).

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
    seed_option,
    steps_option,
    writing_to,
)
from rl_text.cvib.formats import ABSA_FORMATS

__all__ = ["group"]


DATA_HELP = "A SemEval-2014 .seg/.xml file, a folder of the SemEval-2014 .seg files, or semeval14."
domain_option = click.option(
    "--domain",
    type=click.Choice(["laptop", "restaurant"]),
    default="laptop",
    show_default=True,
    help="SemEval-2014 domain (for a folder or semeval14).",
)


def _examples(data: str, domain: str, split: str):
    from rl_text.cvib.data import load_absa_data

    return load_absa_data(data, domain, split)


@click.group("cvib")
def group() -> None:
    """CVIB: aspect sentiment (SemEval-2014) by fine-tuning or VIB self-pruning + contrastive."""


@group.command("train")
@data_option(help=DATA_HELP + " The train split is used.", formats=ABSA_FORMATS)
@out_option(help="Output folder; the classifier is saved to OUT/model/.")
@domain_option
@click.option(
    "--method",
    type=click.Choice(["finetune", "cvib"]),
    default="finetune",
    show_default=True,
    help="finetune: cross-entropy; cvib: original + self-pruned network trained together.",
)
@model_option(help="The encoder: a short name (minilm), a local folder, or a hub id.")
@steps_option(default=200)
@batch_size_option(default=16)
@lr_option(default=5e-5)
@click.option(
    "--beta", type=FiniteFloat(min=0), default=0.1, show_default=True, help="KL weight (cvib)."
)
@click.option(
    "--contrastive-weight",
    type=FiniteFloat(min=0),
    default=0.5,
    show_default=True,
    help="λ (cvib).",
)
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    data: str,
    out: Path,
    domain: str,
    method: str,
    model: str,
    steps: int,
    batch_size: int,
    lr: float,
    beta: float,
    contrastive_weight: float,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Train on the train split and save OUT/model/ (encoder/, head and gates, config).

    Under ``torchrun`` each process trains on its share of every batch; rank 0 saves.
    """
    from rl_shared.runtime import is_main_process
    from rl_text.cvib.model import save_absa_model
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
    folder = out / "model"
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():
        trained = train_absa(
            model,
            examples,
            config,
            show_progress=not as_json,
            device=device,
            precision=precision,
        )
        if not is_main_process():  # the other processes trained their share; rank 0 writes
            return
        extra = trained.gates.summary() if trained.gates is not None else {}
        with writing_to(out):
            save_absa_model(trained, folder, method=method, config=vars(config), **extra)
    info = {"method": method, "model": str(folder), "steps": steps, "seed": seed}
    info["train"] = len(examples)
    if trained.gates is not None:
        info.update(trained.gates.summary())
    info["final_loss"] = round(trained.train_log[-1]["loss"], 4)
    if as_json:
        emit_json(info)
    else:
        click.echo(f"saved {folder}  ({method}, {steps} steps, final loss {info['final_loss']})")


@group.command("evaluate")
@model_option(
    default=None,
    help="The OUT/model folder written by `rl text cvib train`.",
    formats=("cvib-model",),
)
@data_option(help=DATA_HELP, formats=ABSA_FORMATS)
@domain_option
@click.option("--split", type=click.Choice(["train", "test"]), default="test", show_default=True)
@click.option(
    "--network",
    type=click.Choice(["original", "pruned"]),
    default="original",
    show_default=True,
    help="CVIB models: the original or the self-pruned network.",
)
@click.option("--disagreeing", is_flag=True, help="Only aspects that disagree with their sentence.")
@device_option()
@precision_option
@json_option
def evaluate_cmd(
    model: str,
    data: str,
    domain: str,
    split: str,
    network: str,
    disagreeing: bool,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Accuracy and macro-F1 of a trained model."""
    from rl_shared.errors import BadInput
    from rl_text.cvib.data import disagreeing_subset
    from rl_text.cvib.model import load_absa_model
    from rl_text.cvib.train import evaluate_absa

    examples = _examples(data, domain, split)
    if disagreeing:
        examples = disagreeing_subset(examples)
        if not examples:
            raise BadInput(f"{data} has no aspect whose polarity disagrees with its sentence's")
    classifier = load_absa_model(model)
    if network == "pruned" and classifier.gates is None:
        raise BadInput(
            f"{model} has no VIB gates (trained with --method finetune): no pruned network"
        )
    result = evaluate_absa(
        classifier, examples, pruned=network == "pruned", device=device, precision=precision
    )
    if as_json:
        emit_json({"model": model, "data": data, "network": network, **result})
        return
    click.echo(f"{model} on {data} ({result['n']} aspects, {network} network)")
    click.echo(f"  accuracy {result['accuracy']:.4f}")
    click.echo(f"  macro-F1 {result['macro_f1']:.4f}")
