"""One-call experiments shared by the ``rl graph`` commands and the reproductions.

Each function trains and evaluates one configuration with one seed and returns a flat
``{metric: value}`` dict.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Zhu & Razavian, VGNN, arXiv:1912.03761.

Example:
    >>> r = spurious_motif_experiment(0.9, "erm", num_train=30, num_test=30, epochs=1)  # doctest: +SKIP
    >>> 0.0 <= r["test_accuracy"] <= 1.0  # doctest: +SKIP
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch
from torch_geometric.loader import DataLoader

from rl_graph.ehr import EHRData
from rl_graph.models import GINClassifier
from rl_graph.molecules import featurise, load_molecules, scaffold_split, size_split
from rl_graph.reweighting import L2RReweighter
from rl_graph.spurious_motif import make_spurious_motif, measured_bias
from rl_graph.training import evaluate, train
from rl_graph.vgnn import VGNN, admission_graph, effective_rank, fit_vgnn, predict_vgnn
from rl_shared.errors import BadInput, UnknownName

__all__ = [
    "ehr_experiment",
    "molecule_experiment",
    "representation_dependence",
    "spurious_motif_experiment",
]

Progress = Callable[[Iterable[int], str], Iterable[int]] | None


@torch.no_grad()
def representation_dependence(
    model: GINClassifier, loader: DataLoader, reweighter: L2RReweighter
) -> tuple[float, float]:
    """Mean cross-cluster RFF dependence of the model's representation per batch,
    uniform vs with the weights the reweighter learns for that batch."""
    model.eval()
    uniform, weighted = [], []
    for batch in loader:
        z = model.embed(batch)
        if z.shape[0] < 2:
            continue
        reweighter.observe(z)
        uniform.append(float(reweighter.dependence(z)))
        weighted.append(float(reweighter.dependence(z, reweighter(z))))
    return float(np.mean(uniform)), float(np.mean(weighted))


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
) -> dict[str, float]:
    """Train GIN on biased Spurious-Motif by ERM or L2R; unbiased, larger-base test set."""
    train_set = make_spurious_motif(num_train, bias, "train", seed=seed)
    test_set = make_spurious_motif(num_test, 1 / 3, "test", seed=seed + 10_000)
    torch.manual_seed(seed)
    model = GINClassifier(1, hidden, 3, norm="graph_norm")
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    reweighter = L2RReweighter(seed=seed)
    hist = train(
        model,
        loader,
        method,
        epochs=epochs,
        lr=lr,
        reweighter=reweighter,
        seed=seed,
        progress=progress,
    )
    probe = L2RReweighter(seed=seed)
    dep_u, dep_w = representation_dependence(
        model, DataLoader(train_set, batch_size=batch_size), probe
    )
    test_loader = DataLoader(test_set, batch_size=256)
    same = [g for g in test_set if int(g.y) == int(g.base)]
    other = [g for g in test_set if int(g.y) != int(g.base)]
    return {
        "test_accuracy": evaluate(model, test_loader),
        "test_accuracy.base_matches_label": evaluate(model, DataLoader(same, batch_size=256)),
        "test_accuracy.base_differs": evaluate(model, DataLoader(other, batch_size=256)),
        "train_accuracy": evaluate(model, DataLoader(train_set, batch_size=256)),
        "train_bias": measured_bias(train_set),
        "dependence.uniform": dep_u,
        "dependence.weighted": dep_w,
        "final_loss": hist["loss"][-1],
    }


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
) -> dict[str, float]:
    """GIN on a MoleculeNet set split by scaffold or size; test ROC-AUC at the best valid epoch
    is approximated by the final model (no early stopping, to keep runs comparable)."""
    smiles, labels = load_molecules(dataset, limit=limit, seed=seed)
    graphs = featurise(smiles, labels)
    if split == "scaffold":
        tr, va, te = scaffold_split([g.smiles for g in graphs])
    elif split == "size":
        tr, va, te = size_split([g.num_nodes for g in graphs])
    else:
        raise UnknownName("split", split, ["scaffold", "size"])
    torch.manual_seed(seed)
    model = GINClassifier(0, hidden, 2, atoms=True)
    loader = DataLoader([graphs[i] for i in tr], batch_size=batch_size, shuffle=True)
    train(
        model,
        loader,
        method,
        epochs=epochs,
        reweighter=L2RReweighter(seed=seed),
        seed=seed,
        progress=progress,
    )
    out = {"train_size": float(len(tr)), "valid_size": float(len(va)), "test_size": float(len(te))}
    for name, idx in (("valid", va), ("test", te)):
        part = [graphs[i] for i in idx]
        both = len({int(g.y) for g in part}) == 2  # a small scaffold split may miss a class
        out[f"{name}_roc_auc"] = (
            evaluate(model, DataLoader(part, batch_size=256), "roc_auc") if both else float("nan")
        )
    return out


def ehr_experiment(
    data: EHRData,
    model: str,
    seed: int = 0,
    test_fraction: float = 0.25,
    epochs: int = 20,
    hidden: int = 32,
    beta: float = 1e-3,
    progress: Progress = None,
) -> dict[str, float]:
    """AUPRC / AUROC of logistic regression, encoder-decoder or VGNN on a stratified split."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.model_selection import train_test_split

    if model not in ("logreg", "encdec", "vgnn"):
        raise UnknownName("EHR model", model, ["logreg", "encdec", "vgnn"])
    if len(np.unique(data.labels)) < 2:
        raise BadInput("the EHR outcome has a single class; choose another outcome")
    idx = np.arange(len(data))
    tr, te = train_test_split(idx, test_size=test_fraction, random_state=seed, stratify=data.labels)
    y_te = data.labels[te]
    out: dict[str, float] = {"prevalence": float(y_te.mean())}
    if model == "logreg":
        x = data.multi_hot()
        clf = LogisticRegression(max_iter=2000, C=1.0).fit(x[tr], data.labels[tr])
        prob = clf.predict_proba(x[te])[:, 1]
    else:
        graphs = [admission_graph(c, y) for c, y in zip(data.codes, data.labels)]
        net = VGNN(len(data.vocab), hidden, variational=model == "vgnn")
        fit_vgnn(
            net, [graphs[i] for i in tr], epochs=epochs, beta=beta, seed=seed, progress=progress
        )
        prob, _ = predict_vgnn(net, [graphs[i] for i in te])
        _, all_reps = predict_vgnn(net, graphs)
        out["effective_rank"] = effective_rank(all_reps)
    out["auprc"] = float(average_precision_score(y_te, prob))
    out["auroc"] = float(roc_auc_score(y_te, prob))
    return out
