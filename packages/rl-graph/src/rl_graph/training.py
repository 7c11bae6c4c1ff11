"""Train any PyG graph classifier by ERM or by L2R-GNN sample reweighting; evaluate it.

The model must provide ``embed(batch) -> [B, d]`` and ``head(z) -> logits`` (as
:class:`~rl_graph.models.GINClassifier` does). With ``method="l2r"`` each step solves
the inner problem (weights from :class:`~rl_graph.reweighting.L2RReweighter` on the
detached representation) and then takes the outer step on the weighted cross-entropy:
the paper's stochastic bi-level optimisation.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> from torch_geometric.loader import DataLoader
    >>> from rl_graph.models import GINClassifier
    >>> from rl_graph.spurious_motif import make_spurious_motif
    >>> loader = DataLoader(make_spurious_motif(30, seed=0), batch_size=10, shuffle=True)
    >>> hist = train(GINClassifier(1, 8, 3), loader, method="l2r", epochs=1, seed=0)
    >>> len(hist["loss"])
    1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from rl_graph.reweighting import L2RReweighter
from rl_shared.errors import BadInput, NonFiniteLoss, UnknownName

__all__ = ["evaluate", "predict", "train"]

METHODS = ("erm", "l2r")


def train(
    model: nn.Module,
    loader: Iterable,
    method: str = "erm",
    epochs: int = 10,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    reweighter: L2RReweighter | None = None,
    seed: int = 0,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> dict[str, list[float]]:
    """Fit ``model`` on ``loader`` by ERM or L2R-GNN; returns per-epoch loss history.

    Args:
        model: has ``embed(batch)`` and ``head(z)``; labels are ``batch.y`` (class ids).
        loader: a ``torch_geometric.loader.DataLoader`` (or any iterable of batches).
        method: ``"erm"`` (mean loss) or ``"l2r"`` (weighted by the reweighter).
        epochs: passes over ``loader``.
        lr: Adam learning rate.
        weight_decay: Adam weight decay.
        reweighter: used for ``"l2r"``; a default ``L2RReweighter(seed=seed)`` if ``None``.
        seed: seeds torch before training.
        progress: optional ``(iterable, description) -> iterable`` wrapper for epochs.

    Returns:
        ``{"loss": [...], "dependence": [...]}``: mean weighted loss per epoch and, for L2R,
        the mean cross-cluster dependence under the learned weights.
    """
    if method not in METHODS:
        raise UnknownName("method", method, METHODS)
    if epochs < 1:
        raise BadInput(f"epochs must be at least 1, got {epochs}")
    torch.manual_seed(seed)
    if method == "l2r" and reweighter is None:
        reweighter = L2RReweighter(seed=seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    history: dict[str, list[float]] = {"loss": [], "dependence": []}
    epoch_iter: Iterable[int] = range(epochs)
    if progress is not None:
        epoch_iter = progress(epoch_iter, f"train {method}")
    for _ in epoch_iter:
        model.train()
        losses, deps = [], []
        for batch in loader:
            z = model.embed(batch)
            per_graph = F.cross_entropy(model.head(z), batch.y.view(-1).long(), reduction="none")
            if method == "l2r" and z.shape[0] > 1:
                assert reweighter is not None
                reweighter.observe(z.detach())
                weights = reweighter(z.detach())
                loss = (weights * per_graph).mean()
            else:
                loss = per_graph.mean()
            if not torch.isfinite(loss):
                raise NonFiniteLoss("training loss became NaN or infinite; lower the learning rate")
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
            if method == "l2r" and z.shape[0] > 1:
                deps.append(reweighter.last_dependence)  # type: ignore[union-attr]
        history["loss"].append(float(np.mean(losses)))
        history["dependence"].append(float(np.mean(deps)) if deps else float("nan"))
    return history


@torch.no_grad()
def predict(model: nn.Module, loader: Iterable) -> tuple[np.ndarray, np.ndarray]:
    """Class probabilities and labels over ``loader`` (model in eval mode).

    Shapes:
        returns ``([N, C], [N])``.
    """
    model.eval()
    probs, labels = [], []
    for batch in loader:
        probs.append(torch.softmax(model(batch), -1).numpy())
        labels.append(batch.y.view(-1).numpy())
    return np.concatenate(probs), np.concatenate(labels)


def evaluate(model: nn.Module, loader: Iterable, metric: str = "accuracy") -> float:
    """Accuracy or ROC-AUC (scikit-learn, positive class 1) of ``model`` on ``loader``.

    Args:
        model: a trained classifier.
        loader: batches with labels ``y``.
        metric: ``"accuracy"`` or ``"roc_auc"``.
    """
    from sklearn.metrics import accuracy_score, roc_auc_score

    probs, labels = predict(model, loader)
    if metric == "accuracy":
        return float(accuracy_score(labels, probs.argmax(1)))
    if metric == "roc_auc":
        if len(np.unique(labels)) < 2:
            raise BadInput("ROC-AUC needs both classes in the evaluation set")
        return float(roc_auc_score(labels, probs[:, 1]))
    raise UnknownName("metric", metric, ["accuracy", "roc_auc"])
