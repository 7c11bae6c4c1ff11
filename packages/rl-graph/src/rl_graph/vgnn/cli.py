"""``rl graph vgnn``: train and evaluate EHR outcome models (VGNN, encoder-decoder, logistic).

``--data`` names the admissions: ``synthetic`` (generated with a planted code graph),
``mimic-iii-demo`` (the registered MIMIC-III Clinical Database Demo) or a folder holding
MIMIC-III tables (``ADMISSIONS.csv``, ``DIAGNOSES_ICD.csv``, ``PROCEDURES_ICD.csv``,
``PRESCRIPTIONS.csv``, ``ICUSTAYS.csv``).

References:
    Zhu & Razavian, "Variationally Regularized Graph-based Representation Learning for Electronic
    Health Records", arXiv 2019. https://arxiv.org/abs/1912.03761
    Johnson et al., "MIMIC-III, a freely accessible critical care database" (demo v1.4).

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from rl_graph.vgnn.formats import VGNN_EHR, VGNN_MODEL
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
    progress,
    seed_option,
)
from rl_shared.errors import BadInput, UnknownName

__all__ = ["group"]

MODELS = ("vgnn", "encdec", "logreg")
DATA_HELP = (
    "synthetic (generated), mimic-iii-demo (the registered MIMIC-III demo), or a folder of "
    "MIMIC-III CSV tables."
)


def _load(data: str, outcome: str, num_admissions: int, seed: int):
    from rl_graph.vgnn.data import load_mimic_demo, make_synthetic_ehr

    if data == "synthetic":
        return make_synthetic_ehr(num_admissions, seed=seed)
    if data == "mimic-iii-demo":
        return load_mimic_demo(outcome=outcome)
    folder = Path(data)
    if folder.is_file():
        raise BadInput(
            f"--data {data} is a file; give the folder holding the MIMIC-III tables "
            "(ADMISSIONS.csv, DIAGNOSES_ICD.csv, ...)"
        )
    if not folder.is_dir():
        raise BadInput(
            f"--data {data!r} is not synthetic, mimic-iii-demo or a folder of MIMIC-III tables"
        )
    return load_mimic_demo(folder, outcome=outcome)


def _report(title: str, metrics: dict[str, float]) -> None:
    click.echo(title)
    for key, value in metrics.items():
        click.echo(f"  {key:<24} {value:.4f}")


def _write_metrics(out: Path | None, payload: dict[str, Any]) -> None:
    if out is None:
        return
    import json

    from rl_shared.cli import strict_json
    from rl_shared.io import atomic_write_text

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "metrics.json", json.dumps(strict_json(payload), indent=2) + "\n")


outcome_option = click.option(
    "--outcome",
    type=click.Choice(["mortality", "readmission"]),
    default="mortality",
    show_default=True,
    help="MIMIC-III outcome: in-hospital mortality or 30-day ICU readmission.",
)


@click.group("vgnn")
def group() -> None:
    """VGNN (arXiv:1912.03761): variational graph attention over EHR medical codes."""


@group.command("train")
@data_option(default="synthetic", help=DATA_HELP, formats=(VGNN_EHR,))
@model_option(default="vgnn", help="vgnn, encdec (the encoder-decoder without KL term) or logreg.")
@out_option(help="Output folder: the model goes to OUT/model/, the metrics to OUT/metrics.json.")
@outcome_option
@click.option(
    "--num-admissions",
    type=click.IntRange(20),
    default=4000,
    show_default=True,
    help="Synthetic: admissions to generate.",
)
@click.option(
    "--epochs", type=click.IntRange(1), default=20, show_default=True, help="Graph models: epochs."
)
@lr_option(default=1e-3, help="Graph models: Adam learning rate.")
@batch_size_option(default=32, help="Graph models: admissions per batch.")
@click.option(
    "--beta",
    type=FiniteFloat(min=0),
    default=1e-3,
    show_default=True,
    help="vgnn: weight of the KL term.",
)
@seed_option
@device_option()
@precision_option
@json_option
def train_cmd(
    data: str,
    model: str,
    out: Path,
    outcome: str,
    num_admissions: int,
    epochs: int,
    lr: float,
    batch_size: int,
    beta: float,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Train on 75% of the admissions (stratified); AUPRC / AUROC on the rest; save OUT/model/.

    Under ``torchrun`` every process trains on its part of each batch and only the main
    process writes OUT/.
    """
    from rl_graph.vgnn.storage import save_outcome_model
    from rl_graph.vgnn.train import ehr_experiment
    from rl_shared.runtime import is_main_process, resolve_device, resolve_precision

    if model not in MODELS:
        raise UnknownName("EHR model", model, list(MODELS))
    dev = resolve_device(device)
    resolve_precision(precision, dev)  # fp16 on the CPU: one sentence, before any work
    admissions = _load(data, outcome, num_admissions, seed)
    metrics, trained = ehr_experiment(
        admissions, model, seed, epochs=epochs, beta=beta, progress=progress(as_json), lr=lr,
        batch_size=batch_size, device=dev, precision=precision, return_model=True,
    )  # fmt: skip
    if not is_main_process():  # the other processes trained their share; rank 0 writes
        return
    record = {"data": data, "model": model, "outcome": outcome, "seed": seed, "epochs": epochs}
    if data == "synthetic":
        record["num_admissions"] = num_admissions
    if trained.net is not None:
        trained.net.cpu()
    trained.config = {**(trained.config or {}), "training": record}
    folder = save_outcome_model(trained, out / "model")
    payload = {**record, "metrics": metrics, "saved": str(folder)}
    _write_metrics(out, payload)
    if as_json:
        emit_json(payload)
    else:
        _report(f"{data} {model} (seed {seed}); model saved to {folder}", metrics)


@group.command("evaluate")
@model_option(
    default=None, help="A model folder written by `train` (OUT/model).", formats=(VGNN_MODEL,)
)
@data_option(
    help=DATA_HELP + " synthetic is drawn again with the training run's size and seed.",
    formats=(VGNN_EHR,),
)
@out_option(required=False, help="Optional folder for OUT/metrics.json.")
@outcome_option
@click.option(
    "--part",
    type=click.Choice(["test", "all"]),
    default="test",
    show_default=True,
    help="test: the 25% the model was not trained on (same split); all: every admission.",
)
@device_option()
@precision_option
@json_option
def evaluate_cmd(
    model: str,
    data: str,
    out: Path | None,
    outcome: str,
    part: str,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """AUPRC / AUROC of a trained model; codes are matched to its vocabulary by name."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    from rl_graph.vgnn.storage import load_outcome_model, score_admissions
    from rl_graph.vgnn.train import split_admissions
    from rl_shared.runtime import resolve_device, resolve_precision

    dev = resolve_device(device)
    resolve_precision(precision, dev)
    trained = load_outcome_model(model)
    config = trained.config or {}
    training = config.get("training", {})
    seed = int(config.get("seed", 0))
    admissions = _load(data, outcome, int(training.get("num_admissions", 4000)), seed)
    if part == "test":
        _, test = split_admissions(admissions, float(config.get("test_fraction", 0.25)), seed)
        admissions = admissions.subset(test)
    probs, index = score_admissions(trained, admissions, device=dev, precision=precision)
    labels = admissions.labels[index]
    if len(set(labels.tolist())) < 2:
        raise BadInput("the scored admissions hold a single outcome class; AUROC is undefined")
    metrics = {
        "prevalence": float(labels.mean()),
        "auprc": float(average_precision_score(labels, probs)),
        "auroc": float(roc_auc_score(labels, probs)),
        "scored": float(len(index)),
        "skipped": float(len(admissions) - len(index)),
    }
    payload = {"model": model, "data": data, "part": part, "metrics": metrics}
    _write_metrics(out, payload)
    if as_json:
        emit_json(payload)
    else:
        _report(f"{model} on {data} ({part})", metrics)
