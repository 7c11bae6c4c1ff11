"""``rl graph l2r-gnn``: generate Spurious-Motif graphs, train GIN by ERM or L2R-GNN, evaluate.

``--data`` names what to read: ``spurious-motif`` (generated on the fly: a biased training
set and an unbiased test set with larger bases), a MoleculeNet set (``bbbp``, ``bace``,
``hiv`` or ``moleculenet-classification:NAME``; split by scaffold or size), a CSV file of
SMILES and binary labels, or a ``.npz`` graph file (or a folder holding
``spurious-motif.npz``) written by ``generate``.

References:
    Chen et al., "Learning to Reweight for Graph Neural Network", arXiv 2023.
    https://arxiv.org/abs/2312.12475
    Wu et al., "Discovering Invariant Rationales for Graph Neural Networks" (DIR), arXiv 2022 (the
    Spurious-Motif graphs). https://arxiv.org/abs/2201.12987

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, cast

import click

from rl_graph.l2r_gnn.formats import L2R_GRAPHS, L2R_MODEL, L2R_MOLECULES
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
from rl_shared.errors import BadInput, MalformedFile

__all__ = ["group"]

GRAPH_FILE = "spurious-motif.npz"
MOLECULE_SETS = ("bace", "bbbp", "hiv")
DATA_HELP = (
    "spurious-motif (generated), a MoleculeNet set (bbbp, bace, hiv or "
    "moleculenet-classification:NAME), a CSV of SMILES and labels, or a graph file / folder "
    "written by `generate`."
)


def _resolve(spec: str) -> tuple[str, Any]:
    """``(kind, what)``: kind is ``spurious-motif``, ``moleculenet``, ``csv`` or ``graphs``."""
    if spec == "spurious-motif":
        return "spurious-motif", spec
    name = spec.removeprefix("moleculenet-classification:")
    if name in MOLECULE_SETS:
        return "moleculenet", name
    if spec == "moleculenet-classification":
        raise BadInput(
            "--data moleculenet-classification needs a set: "
            + ", ".join(f"moleculenet-classification:{n}" for n in MOLECULE_SETS)
        )
    path = Path(spec)
    if path.is_dir():
        if path.suffix in (".csv", ".npz"):
            raise MalformedFile(path, None, "is a folder, where a file was expected")
        if not (path / GRAPH_FILE).exists():
            raise BadInput(
                f"{spec} is a folder holding no {GRAPH_FILE}; write one with "
                "`rl graph l2r-gnn generate --out FOLDER`"
            )
        path = path / GRAPH_FILE
    if path.suffix == ".npz":
        return "graphs", path
    if path.suffix == ".csv":
        return "csv", path
    if path.exists():
        raise BadInput(
            f"--data {spec}: a file must be a .csv of SMILES and labels or the .npz graph file "
            "of `rl graph l2r-gnn generate`"
        )
    raise BadInput(
        f"--data {spec!r} is not spurious-motif, a MoleculeNet set ({', '.join(MOLECULE_SETS)}), "
        "a .csv of SMILES and labels, or a graph file from `rl graph l2r-gnn generate`"
    )


def _read(kind: str, what: Any) -> Any:
    """Read a user's file strictly, before any model is loaded or trained (``None``: nothing to read)."""
    if kind == "graphs":
        from rl_graph.l2r_gnn.motif import load_graphs

        return load_graphs(what)
    if kind == "csv":
        from rl_graph.l2r_gnn.molecules import load_molecule_csv

        smiles, labels = load_molecule_csv(what)
        if len(set(labels)) < 2:
            raise BadInput(
                f"{what}: every label is {labels[0]}; a binary classifier (and its ROC-AUC) "
                "needs molecules of both classes"
            )
        if len(smiles) < 3:
            raise BadInput(f"{what}: {len(smiles)} molecules cannot be split 80/10/10")
        return smiles, labels
    return None


def _molecules(kind: str, what: Any, read: Any, limit: int | None, seed: int) -> list:
    from rl_graph.l2r_gnn.molecules import featurise, load_molecules, subsample

    if kind == "moleculenet":
        smiles, labels = load_molecules(what, limit=limit, seed=seed)
    else:
        smiles, labels = subsample(read[0], read[1], limit, seed)
    graphs = featurise(smiles, labels)
    if len(graphs) < 3:
        raise BadInput(f"{what}: fewer than 3 molecules could be parsed; nothing to split")
    return graphs


def _defined(metrics: dict[str, float]) -> dict[str, float | None]:
    """Metrics with the undefined ones (NaN: a part without both classes) as ``None``, warned."""
    out: dict[str, float | None] = {}
    for key, value in metrics.items():
        if isinstance(value, float) and not math.isfinite(value):
            click.echo(
                f"warning: {key} is undefined (its part lacks a class or a graph kind); "
                "reported as null",
                err=True,
            )
            out[key] = None
        else:
            out[key] = value
    return out


def _report(title: str, metrics: dict[str, float | None]) -> None:
    click.echo(title)
    for key, value in metrics.items():
        click.echo(f"  {key:<36} {'n/a' if value is None else f'{value:.4f}'}")


def _write_metrics(out: Path | None, payload: dict[str, Any]) -> None:
    if out is None:
        return
    import json

    from rl_shared.cli import strict_json
    from rl_shared.io import atomic_write_text

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "metrics.json", json.dumps(strict_json(payload), indent=2) + "\n")


def _training_record(model: str) -> dict[str, Any]:
    """The ``training`` facts a model folder keeps, checked (the split evaluate reproduces)."""
    from rl_shared.artifacts import CONFIG, load_model

    training = load_model(model).config.get("training", {})
    config = Path(model) / CONFIG
    if not isinstance(training, dict):
        raise MalformedFile(config, None, "config.training is not an object")
    limit, split, seed = (
        training.get("limit"),
        training.get("split", "scaffold"),
        training.get("seed", 0),
    )
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 3):
        raise MalformedFile(config, None, f"config.training.limit is {limit!r}, not a count")
    if split not in ("scaffold", "size"):
        raise MalformedFile(
            config, None, f"config.training.split is {split!r}, not scaffold or size"
        )
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise MalformedFile(config, None, f"config.training.seed is {seed!r}, not an integer")
    return training


@click.group("l2r-gnn")
def group() -> None:
    """L2R-GNN (arXiv:2312.12475): sample reweighting for OOD graph classification."""


@group.command("generate")
@out_option(help=f"Folder for the graphs (written as OUT/{GRAPH_FILE}).")
@click.option(
    "--num-graphs", type=click.IntRange(3), default=3000, show_default=True, help="Graphs."
)
@click.option(
    "--bias",
    type=FiniteFloat(0, 1),
    default=0.9,
    show_default=True,
    help="P(base graph = the label's own base); 1/3 is unbiased.",
)
@click.option(
    "--split",
    type=click.Choice(["train", "test"]),
    default="train",
    show_default=True,
    help="train: training-size bases; test: bases about twice as large.",
)
@seed_option
@json_option
def generate_cmd(
    out: Path, num_graphs: int, bias: float, split: str, seed: int, as_json: bool
) -> None:
    """Write a Spurious-Motif graph set (base graph tied to the label at rate --bias)."""
    from rl_graph.l2r_gnn.motif import make_spurious_motif, measured_bias, save_graphs

    graphs = make_spurious_motif(num_graphs, bias, split, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    path = save_graphs(graphs, out / GRAPH_FILE)
    payload = {
        "path": str(path),
        "num_graphs": len(graphs),
        "bias": bias,
        "measured_bias": measured_bias(graphs),
        "split": split,
        "seed": seed,
    }
    if as_json:
        emit_json(payload)
    else:
        click.echo(
            f"wrote {len(graphs)} graphs (measured bias {payload['measured_bias']:.3f}) to {path}"
        )


@group.command("train")
@data_option(default="spurious-motif", help=DATA_HELP, formats=(L2R_MOLECULES, L2R_GRAPHS))
@out_option(help="Output folder: the model goes to OUT/model/, the metrics to OUT/metrics.json.")
@click.option(
    "--reweight/--no-reweight",
    default=True,
    show_default=True,
    help="L2R-GNN sample weights (--reweight) or plain ERM, the mean loss (--no-reweight).",
)
@click.option(
    "--epochs",
    type=click.IntRange(1),
    default=None,
    help="Passes over the training set [default: 40 on graphs, 30 on molecules].",
)
@lr_option(default=None, help="Adam learning rate [default: 5e-3 on graphs, 1e-3 on molecules].")
@batch_size_option(default=64)
@click.option(
    "--bias",
    type=FiniteFloat(0, 1),
    default=0.9,
    show_default=True,
    help="Spurious-Motif: training bias.",
)
@click.option(
    "--num-train",
    type=click.IntRange(3),
    default=3000,
    show_default=True,
    help="Spurious-Motif: training graphs.",
)
@click.option(
    "--num-test",
    type=click.IntRange(3),
    default=3000,
    show_default=True,
    help="Spurious-Motif: unbiased test graphs.",
)
@click.option(
    "--split",
    type=click.Choice(["scaffold", "size"]),
    default="scaffold",
    show_default=True,
    help="Molecules: scaffold (OGB) or size split, 80/10/10.",
)
@click.option(
    "--limit",
    type=click.IntRange(10),
    default=None,
    help="Molecules: keep a stratified subsample of this many.",
)
@seed_option
@device_option()
@precision_option
@json_option
def train_cmd(
    data: str,
    out: Path,
    reweight: bool,
    epochs: int | None,
    lr: float | None,
    batch_size: int,
    bias: float,
    num_train: int,
    num_test: int,
    split: str,
    limit: int | None,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Train GIN by L2R-GNN (or ERM); report test metrics and save OUT/model/.

    Under ``torchrun`` every process trains on its part of each batch and only the main
    process writes OUT/.
    """
    from rl_graph.l2r_gnn.experiments import (
        molecule_experiment,
        spurious_motif_experiment,
        spurious_motif_metrics,
    )
    from rl_graph.l2r_gnn.train import save_gin, train
    from rl_shared.runtime import is_main_process, resolve_device, resolve_precision

    kind, what = _resolve(data)
    read = _read(kind, what)  # a user's file is checked before anything trains
    method = "l2r" if reweight else "erm"
    dev = resolve_device(device)
    resolve_precision(precision, dev)  # fp16 on the CPU: one sentence, before any work
    track = progress(as_json)
    record: dict[str, Any] = {"data": data, "method": method, "seed": seed}
    if kind == "spurious-motif":
        epochs, lr = epochs or 40, lr or 5e-3
        metrics, model = spurious_motif_experiment(
            bias, method, seed, num_train, num_test, epochs, batch_size=batch_size, lr=lr,
            progress=track, device=dev, precision=precision, return_model=True,
        )  # fmt: skip
        record.update(bias=bias, num_train=num_train, num_test=num_test)
    elif kind == "graphs":
        from torch_geometric.loader import DataLoader

        from rl_graph.core.models import GINClassifier
        from rl_graph.l2r_gnn.model import L2RReweighter
        from rl_shared.runtime import seed_everything

        epochs, lr = epochs or 40, lr or 5e-3
        graphs = read
        num_classes = max(int(g.y) for g in graphs) + 1
        seed_everything(seed)
        model = GINClassifier(graphs[0].num_node_features, 32, num_classes, norm="graph_norm")
        loader = DataLoader(graphs, batch_size=batch_size, shuffle=True)
        hist = train(
            model, loader, method, epochs=epochs, lr=lr, reweighter=L2RReweighter(seed=seed),
            seed=seed, progress=track, device=dev, precision=precision,
        )  # fmt: skip
        model.cpu()
        scored = spurious_motif_metrics(model, graphs, graphs, batch_size, seed)
        metrics = {k: v for k, v in scored.items() if not k.startswith("test_")}
        metrics["final_loss"] = hist["loss"][-1]
    else:
        epochs, lr = epochs or 30, lr or 1e-3
        mol_graphs = None if kind == "moleculenet" else _molecules(kind, what, read, limit, seed)
        metrics, model = molecule_experiment(
            what if kind == "moleculenet" else "csv", method, split, seed, limit, epochs,
            batch_size=batch_size, progress=track, device=dev, precision=precision, lr=lr,
            graphs=mol_graphs, return_model=True,
        )  # fmt: skip
        record.update(split=split, limit=limit)
    record.update(epochs=epochs, lr=lr, batch_size=batch_size)
    if not is_main_process():  # the other processes trained their share; rank 0 writes
        return
    defined = _defined(metrics)
    folder = save_gin(model.cpu(), out / "model", extra={"training": record})
    payload = {**record, "metrics": defined, "model": str(folder)}
    _write_metrics(out, payload)
    if as_json:
        emit_json(payload)
    else:
        _report(f"{data} {method} (seed {seed}); model saved to {folder}", defined)


@group.command("evaluate")
@model_option(
    default=None, help="A model folder written by `train` (OUT/model).", formats=(L2R_MODEL,)
)
@data_option(
    help="spurious-motif (a fresh unbiased test set), a MoleculeNet set or CSV (scored on the "
    "valid and test parts of the split the model was trained with), or a graph file / folder "
    "from `generate` (every graph scored).",
    formats=(L2R_MOLECULES, L2R_GRAPHS),
)
@out_option(required=False, help="Optional folder for OUT/metrics.json.")
@click.option(
    "--num-test",
    type=click.IntRange(3),
    default=3000,
    show_default=True,
    help="Spurious-Motif: test graphs to generate.",
)
@seed_option
@device_option()
@precision_option
@json_option
def evaluate_cmd(
    model: str,
    data: str,
    out: Path | None,
    num_test: int,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Score a trained classifier: accuracy on graphs, ROC-AUC on molecules."""
    from rl_graph.l2r_gnn.experiments import (
        molecule_metrics,
        split_molecules,
        spurious_motif_metrics,
    )
    from rl_graph.l2r_gnn.motif import make_spurious_motif
    from rl_graph.l2r_gnn.train import load_gin
    from rl_shared.runtime import resolve_device, resolve_precision

    kind, what = _resolve(data)
    read = _read(kind, what)  # the data, then the model: both checked before any scoring
    dev = resolve_device(device)
    resolve_precision(precision, dev)
    net = load_gin(model).to(dev)
    training = _training_record(model)
    if kind in ("spurious-motif", "graphs"):
        if net.atoms:
            raise BadInput(f"{model} is a molecule model; evaluate it on a MoleculeNet set or CSV")
        graphs = (
            make_spurious_motif(num_test, 1 / 3, "test", seed=seed + 10_000)
            if kind == "spurious-motif"
            else read
        )
        if kind == "graphs" and max(int(g.y) for g in graphs) >= cast(
            int, net.config["num_classes"]
        ):
            raise BadInput(
                f"{what} has labels up to {max(int(g.y) for g in graphs)}, beyond the "
                f"{net.config['num_classes']} classes of {model}"
            )
        metrics = _defined(spurious_motif_metrics(net, None, graphs, precision=precision))
    else:
        if not net.atoms:
            raise BadInput(f"{model} is a graph model; evaluate it on spurious-motif or graphs")
        limit, split = training.get("limit"), training.get("split", "scaffold")
        graphs = _molecules(kind, what, read, limit, int(training.get("seed", seed)))
        _, va, te = split_molecules(graphs, split)
        metrics = _defined(
            molecule_metrics(
                net,
                {"valid": [graphs[i] for i in va], "test": [graphs[i] for i in te]},
                precision=precision,
            )
        )
    payload = {"model": model, "data": data, "metrics": metrics}
    _write_metrics(out, payload)
    if as_json:
        emit_json(payload)
    else:
        _report(f"{model} on {data}", metrics)
