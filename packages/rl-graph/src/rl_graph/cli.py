"""``rl graph``: Spurious-Motif and molecule OOD runs (ERM vs L2R-GNN), EHR outcome models.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

import click
import numpy as np

from rl_graph.ehr import load_mimic_demo, make_synthetic_ehr
from rl_shared.cli import emit_json, json_option, seed_option

__all__ = ["group"]


def _progress(as_json: bool) -> Callable[[Iterable[int], str], Iterable[int]] | None:
    if as_json or not sys.stderr.isatty():
        return None
    from tqdm.auto import tqdm

    return lambda it, desc: tqdm(it, desc=desc, file=sys.stderr, leave=False)


def _summarise(runs: list[dict[str, float]]) -> dict[str, float]:
    out = {}
    for key in runs[0]:
        values = np.array([r[key] for r in runs])
        out[key] = float(values.mean())
        out[f"{key}.std"] = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return out


def _print(title: str, summary: dict[str, float]) -> None:
    click.echo(title)
    for key, value in summary.items():
        if not key.endswith(".std"):
            click.echo(f"  {key:<36} {value:.4f} ± {summary[key + '.std']:.4f}")


@click.group("graph")
def group() -> None:
    """OOD graph learning (L2R-GNN, arXiv:2312.12475) and EHR graphs (VGNN, arXiv:1912.03761)."""


@group.command("spurious-motif")
@click.option("--bias", type=click.FloatRange(0, 1), default=0.9, show_default=True)
@click.option("--method", type=click.Choice(["erm", "l2r"]), default="l2r", show_default=True)
@click.option("--seeds", type=click.IntRange(1), default=3, show_default=True)
@click.option("--num-train", type=click.IntRange(3), default=3000, show_default=True)
@click.option("--num-test", type=click.IntRange(3), default=3000, show_default=True)
@click.option("--epochs", type=click.IntRange(1), default=40, show_default=True)
@seed_option
@json_option
def spurious_motif_cmd(
    bias: float, method: str, seeds: int, num_train: int, num_test: int, epochs: int,
    seed: int, as_json: bool,
) -> None:  # fmt: skip
    """Train GIN on biased Spurious-Motif; test on unbiased graphs with larger bases."""
    from rl_graph.experiments import spurious_motif_experiment

    runs = [
        spurious_motif_experiment(
            bias, method, seed + i, num_train, num_test, epochs, progress=_progress(as_json)
        )
        for i in range(seeds)
    ]
    summary = _summarise(runs)
    if as_json:
        emit_json({"bias": bias, "method": method, "seeds": seeds, "metrics": summary})
    else:
        _print(f"Spurious-Motif b={bias} {method} ({seeds} seeds)", summary)


@group.command("molecules")
@click.option(
    "--dataset", type=click.Choice(["hiv", "bbbp", "bace"]), default="bbbp", show_default=True
)
@click.option(
    "--split", type=click.Choice(["scaffold", "size"]), default="scaffold", show_default=True
)
@click.option("--method", type=click.Choice(["erm", "l2r"]), default="l2r", show_default=True)
@click.option(
    "--limit", type=click.IntRange(10), default=None, help="Subsample this many molecules."
)
@click.option("--epochs", type=click.IntRange(1), default=30, show_default=True)
@click.option("--seeds", type=click.IntRange(1), default=1, show_default=True)
@seed_option
@json_option
def molecules_cmd(
    dataset: str, split: str, method: str, limit: int | None, epochs: int, seeds: int,
    seed: int, as_json: bool,
) -> None:  # fmt: skip
    """GIN on a MoleculeNet set split by scaffold or size; ROC-AUC on valid and test."""
    from rl_graph.experiments import molecule_experiment

    runs = [
        molecule_experiment(
            dataset, method, split, seed + i, limit, epochs, progress=_progress(as_json)
        )
        for i in range(seeds)
    ]
    summary = _summarise(runs)
    if as_json:
        emit_json({"dataset": dataset, "split": split, "method": method, "metrics": summary})
    else:
        _print(f"{dataset} {split} split, {method} ({seeds} seeds)", summary)


@group.command("ehr")
@click.option(
    "--data",
    "data_name",
    type=click.Choice(["mimic-demo", "synthetic"]),
    default="synthetic",
    show_default=True,
)
@click.option(
    "--model", type=click.Choice(["vgnn", "encdec", "logreg"]), default="vgnn", show_default=True
)
@click.option(
    "--outcome",
    type=click.Choice(["mortality", "readmission"]),
    default="mortality",
    show_default=True,
    help="MIMIC demo outcome.",
)
@click.option(
    "--num-admissions",
    type=click.IntRange(20),
    default=4000,
    show_default=True,
    help="Synthetic set size.",
)
@click.option("--epochs", type=click.IntRange(1), default=20, show_default=True)
@click.option("--seeds", type=click.IntRange(1), default=1, show_default=True)
@seed_option
@json_option
def ehr_cmd(
    data_name: str, model: str, outcome: str, num_admissions: int, epochs: int, seeds: int,
    seed: int, as_json: bool,
) -> None:  # fmt: skip
    """AUPRC / AUROC of an outcome model on EHR code sets (MIMIC-III demo or synthetic)."""
    from rl_graph.experiments import ehr_experiment

    runs = []
    for i in range(seeds):
        if data_name == "synthetic":
            data = make_synthetic_ehr(num_admissions, seed=seed + i)
        else:
            data = load_mimic_demo(outcome=outcome)
        runs.append(
            ehr_experiment(data, model, seed + i, epochs=epochs, progress=_progress(as_json))
        )
    summary = _summarise(runs)
    if as_json:
        emit_json({"data": data_name, "model": model, "metrics": summary})
    else:
        _print(f"{data_name} {model} ({seeds} seeds)", summary)
