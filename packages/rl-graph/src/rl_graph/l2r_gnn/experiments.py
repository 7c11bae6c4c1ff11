"""The paper's L2R-GNN experiments: Spurious-Motif and MoleculeNet runs, scored.

:func:`spurious_motif_experiment` and :func:`molecule_experiment` train (with
:func:`~rl_graph.l2r_gnn.train.train`) and evaluate one configuration with one seed and
return a flat ``{metric: value}`` dict; ``rl graph l2r-gnn`` and the reproductions call
them. :func:`spurious_motif_metrics` and :func:`molecule_metrics` score a trained model;
:func:`split_molecules` picks the scaffold or size split.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Wu, Wang, Zhang, He & Chua, Discovering Invariant Rationales for Graph Neural
    Networks (DIR), arXiv:2201.12987.

Example:
    >>> r = spurious_motif_experiment(0.9, "l2r", num_train=12, num_test=9, epochs=1)
    >>> sorted(k for k in r if k.startswith("dependence"))
    ['dependence.uniform', 'dependence.weighted']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

import torch
from torch_geometric.data import Data
from torch_geometric.loader import DataLoader

from rl_graph.core.models import GINClassifier
from rl_graph.core.training import evaluate
from rl_graph.l2r_gnn.model import L2RReweighter
from rl_graph.l2r_gnn.molecules import featurise, load_molecules, scaffold_split, size_split
from rl_graph.l2r_gnn.motif import make_spurious_motif, measured_bias
from rl_graph.l2r_gnn.train import Progress, representation_dependence, train
from rl_shared.errors import UnknownName
from rl_shared.runtime import seed_everything

__all__ = [
    "molecule_experiment",
    "molecule_metrics",
    "split_molecules",
    "spurious_motif_experiment",
    "spurious_motif_metrics",
]


def spurious_motif_metrics(
    model: GINClassifier,
    train_set: Sequence[Data] | None,
    test_set: Sequence[Data],
    batch_size: int = 64,
    seed: int = 0,
    precision: str = "fp32",
) -> dict[str, float]:
    """Test accuracy (overall, base = label, base ≠ label) and, with ``train_set``, train
    accuracy, bias and representation dependence of a Spurious-Motif classifier.

    Args:
        model: a trained :class:`~rl_graph.core.models.GINClassifier`.
        train_set: the training graphs, or ``None`` to score ``test_set`` alone.
        test_set: graphs with ``y`` and ``base``.
        batch_size: batch size of the dependence probe (as in training).
        seed: seed of the probe's random Fourier features.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast when scoring (on the model's
            device).

    References:
        L2R-GNN, arXiv:2312.12475; DIR, arXiv:2201.12987.

    Example:
        >>> from rl_graph.l2r_gnn.motif import make_spurious_motif
        >>> m = spurious_motif_metrics(GINClassifier(1, 4, 3), None, make_spurious_motif(9, seed=0))
        >>> sorted(m)
        ['test_accuracy', 'test_accuracy.base_differs', 'test_accuracy.base_matches_label']
    """
    out: dict[str, float] = {}
    same = [g for g in test_set if int(g.y) == int(g.base)]
    other = [g for g in test_set if int(g.y) != int(g.base)]
    out["test_accuracy"] = evaluate(
        model, DataLoader(list(test_set), batch_size=256), precision=precision
    )
    out["test_accuracy.base_matches_label"] = (
        evaluate(model, DataLoader(same, batch_size=256), precision=precision)
        if same
        else float("nan")
    )
    out["test_accuracy.base_differs"] = (
        evaluate(model, DataLoader(other, batch_size=256), precision=precision)
        if other
        else float("nan")
    )
    if train_set is not None:
        probe = L2RReweighter(seed=seed)
        dep_u, dep_w = representation_dependence(
            model, DataLoader(list(train_set), batch_size=batch_size), probe
        )
        out["train_accuracy"] = evaluate(
            model, DataLoader(list(train_set), batch_size=256), precision=precision
        )
        out["train_bias"] = measured_bias(train_set)
        out["dependence.uniform"] = dep_u
        out["dependence.weighted"] = dep_w
    return out


@overload
def spurious_motif_experiment(
    bias: float,
    method: str,
    seed: int = 0,
    num_train: int = 3000,
    num_test: int = 3000,
    epochs: int = 20,
    hidden: int = 32,
    batch_size: int = 64,
    lr: float = 5e-3,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    *,
    return_model: Literal[False] = False,
) -> dict[str, float]: ...


@overload
def spurious_motif_experiment(
    bias: float,
    method: str,
    seed: int = 0,
    num_train: int = 3000,
    num_test: int = 3000,
    epochs: int = 20,
    hidden: int = 32,
    batch_size: int = 64,
    lr: float = 5e-3,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    *,
    return_model: Literal[True],
) -> tuple[dict[str, float], GINClassifier]: ...


@overload
def spurious_motif_experiment(
    bias: float,
    method: str,
    seed: int = 0,
    num_train: int = 3000,
    num_test: int = 3000,
    epochs: int = 20,
    hidden: int = 32,
    batch_size: int = 64,
    lr: float = 5e-3,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    return_model: bool = False,
) -> dict[str, float] | tuple[dict[str, float], GINClassifier]: ...


def spurious_motif_experiment(
    bias: float,
    method: str,
    seed: int = 0,
    num_train: int = 3000,
    num_test: int = 3000,
    epochs: int = 20,
    hidden: int = 32,
    batch_size: int = 64,
    lr: float = 5e-3,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    return_model: bool = False,
) -> dict[str, float] | tuple[dict[str, float], GINClassifier]:
    """Train GIN on biased Spurious-Motif by ERM or L2R; unbiased, larger-base test set.

    Args:
        bias: training bias b (1/3 is unbiased).
        method: ``"erm"`` or ``"l2r"``.
        seed: seeds data, initialisation and training; the test set uses ``seed + 10000``.
        num_train: training graphs.
        num_test: test graphs.
        epochs: training epochs.
        hidden: GIN width.
        batch_size: training batch size.
        lr: Adam learning rate.
        progress: epoch progress wrapper.
        device: where to train (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast in training.
        return_model: also return the trained model.

    References:
        L2R-GNN, arXiv:2312.12475 (Spurious-Motif experiments).

    Example:
        >>> r = spurious_motif_experiment(0.9, "erm", num_train=12, num_test=9, epochs=1)
        >>> 0.0 <= r["test_accuracy"] <= 1.0
        True
    """
    train_set = make_spurious_motif(num_train, bias, "train", seed=seed)
    test_set = make_spurious_motif(num_test, 1 / 3, "test", seed=seed + 10_000)
    seed_everything(seed)
    model = GINClassifier(1, hidden, 3, norm="graph_norm")
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    hist = train(
        model,
        loader,
        method,
        epochs=epochs,
        lr=lr,
        reweighter=L2RReweighter(seed=seed),
        seed=seed,
        progress=progress,
        device=device,
        precision=precision,
    )
    out = spurious_motif_metrics(model, train_set, test_set, batch_size, seed)
    out["final_loss"] = hist["loss"][-1]
    return (out, model) if return_model else out


def split_molecules(
    graphs: Sequence[Data], split: str = "scaffold"
) -> tuple[list[int], list[int], list[int]]:
    """Train / valid / test indices of featurised molecules by ``"scaffold"`` or ``"size"``.

    Args:
        graphs: outputs of :func:`~rl_graph.l2r_gnn.molecules.featurise` (with ``smiles``).
        split: ``"scaffold"`` (OGB) or ``"size"``.

    References:
        OGB, arXiv:2005.00687; L2R-GNN, arXiv:2312.12475.

    Example:
        >>> from rl_graph.l2r_gnn.molecules import featurise
        >>> split_molecules(featurise(["CCO", "CCCO", "CCCCO", "CO"], [0, 1, 0, 1]), "size")
        ([0, 1, 3], [2], [])
    """
    if split == "scaffold":
        return scaffold_split([g.smiles for g in graphs])
    if split == "size":
        return size_split([g.num_nodes for g in graphs])
    raise UnknownName("split", split, ["scaffold", "size"])


def molecule_metrics(
    model: GINClassifier, parts: dict[str, Sequence[Data]], precision: str = "fp32"
) -> dict[str, float]:
    """ROC-AUC of a molecule classifier on each named part (NaN where a class is missing).

    Args:
        model: a trained classifier.
        parts: name -> graphs, e.g. ``{"valid": ..., "test": ...}``.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast when scoring (on the model's
            device).

    References:
        L2R-GNN, arXiv:2312.12475 (OGB molecule sets, ROC-AUC).

    Example:
        >>> from rl_graph.l2r_gnn.molecules import featurise
        >>> model = GINClassifier(0, 4, 2, atoms=True)
        >>> molecule_metrics(model, {"test": featurise(["CCO", "CCN"], [0, 1])})["test_roc_auc"] in (0.0, 0.5, 1.0)
        True
    """
    out = {}
    for name, part in parts.items():
        both = len({int(g.y) for g in part}) == 2  # a small scaffold split may miss a class
        out[f"{name}_roc_auc"] = (
            evaluate(model, DataLoader(list(part), batch_size=256), "roc_auc", precision=precision)
            if both
            else float("nan")
        )
    return out


@overload
def molecule_experiment(
    dataset: str,
    method: str,
    split: str = "scaffold",
    seed: int = 0,
    limit: int | None = None,
    epochs: int = 20,
    hidden: int = 64,
    batch_size: int = 64,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    lr: float = 1e-3,
    graphs: Sequence[Data] | None = None,
    *,
    return_model: Literal[False] = False,
) -> dict[str, float]: ...


@overload
def molecule_experiment(
    dataset: str,
    method: str,
    split: str = "scaffold",
    seed: int = 0,
    limit: int | None = None,
    epochs: int = 20,
    hidden: int = 64,
    batch_size: int = 64,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    lr: float = 1e-3,
    graphs: Sequence[Data] | None = None,
    *,
    return_model: Literal[True],
) -> tuple[dict[str, float], GINClassifier]: ...


@overload
def molecule_experiment(
    dataset: str,
    method: str,
    split: str = "scaffold",
    seed: int = 0,
    limit: int | None = None,
    epochs: int = 20,
    hidden: int = 64,
    batch_size: int = 64,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    lr: float = 1e-3,
    graphs: Sequence[Data] | None = None,
    return_model: bool = False,
) -> dict[str, float] | tuple[dict[str, float], GINClassifier]: ...


def molecule_experiment(
    dataset: str,
    method: str,
    split: str = "scaffold",
    seed: int = 0,
    limit: int | None = None,
    epochs: int = 20,
    hidden: int = 64,
    batch_size: int = 64,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    lr: float = 1e-3,
    graphs: Sequence[Data] | None = None,
    return_model: bool = False,
) -> dict[str, float] | tuple[dict[str, float], GINClassifier]:
    """GIN on a MoleculeNet set split by scaffold or size; ROC-AUC on valid and test of the
    final model (no early stopping, to keep runs comparable).

    Args:
        dataset: ``"hiv"``, ``"bbbp"`` or ``"bace"`` (read unless ``graphs`` is given).
        method: ``"erm"`` or ``"l2r"``.
        split: ``"scaffold"`` or ``"size"``.
        seed: seeds the subsample, initialisation and training.
        limit: stratified subsample of this many molecules.
        epochs: training epochs.
        hidden: GIN width.
        batch_size: training batch size.
        progress: epoch progress wrapper.
        device: where to train (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast in training.
        lr: Adam learning rate.
        graphs: featurised molecules to use instead of reading ``dataset``.
        return_model: also return the trained model.

    References:
        L2R-GNN, arXiv:2312.12475 (molecule experiments).

    Example:
        >>> from rl_graph.l2r_gnn.molecules import featurise
        >>> mols = featurise(["CCO", "CCN", "c1ccccc1", "c1ccccc1O", "CCCl", "CC=O"] * 2, [0, 1] * 6)
        >>> r = molecule_experiment("own", "erm", "size", epochs=1, graphs=mols)
        >>> r["train_size"], r["test_size"]
        (10.0, 1.0)
    """
    if graphs is None:
        smiles, labels = load_molecules(dataset, limit=limit, seed=seed)
        graphs = featurise(smiles, labels)
    tr, va, te = split_molecules(graphs, split)
    seed_everything(seed)
    model = GINClassifier(0, hidden, 2, atoms=True)
    loader = DataLoader([graphs[i] for i in tr], batch_size=batch_size, shuffle=True)
    train(
        model,
        loader,
        method,
        epochs=epochs,
        lr=lr,
        reweighter=L2RReweighter(seed=seed),
        seed=seed,
        progress=progress,
        device=device,
        precision=precision,
    )
    out = {"train_size": float(len(tr)), "valid_size": float(len(va)), "test_size": float(len(te))}
    out.update(
        molecule_metrics(model, {"valid": [graphs[i] for i in va], "test": [graphs[i] for i in te]})
    )
    return (out, model) if return_model else out
