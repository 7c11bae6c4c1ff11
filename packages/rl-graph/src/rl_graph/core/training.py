"""Generic evaluation of PyG graph classifiers: class probabilities, accuracy, ROC-AUC.

Works with any ``nn.Module`` that maps a ``torch_geometric.data.Batch`` to logits
``[B, C]``; scikit-learn computes the metrics.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475 (the metrics
    of its graph-classification tables).

Example:
    >>> import torch
    >>> from torch_geometric.data import Data
    >>> from torch_geometric.loader import DataLoader
    >>> from rl_graph.core.models import GINClassifier
    >>> g = Data(x=torch.ones(3, 1), edge_index=torch.tensor([[0, 1], [1, 2]]), y=torch.tensor([1]))
    >>> probs, labels = predict(GINClassifier(1, 8, 2), DataLoader([g, g], batch_size=2))
    >>> probs.shape, labels.tolist()
    ((2, 2), [1, 1])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch
from torch import nn

from rl_shared.errors import BadInput, UnknownName
from rl_shared.runtime import autocast

__all__ = ["evaluate", "predict"]


@torch.no_grad()
def predict(
    model: nn.Module,
    loader: Iterable,
    device: torch.device | str | None = None,
    precision: str = "fp32",
) -> tuple[np.ndarray, np.ndarray]:
    """Class probabilities and labels over ``loader`` (model in eval mode).

    Args:
        model: a classifier ``batch -> logits``.
        loader: batches with labels ``y``.
        device: where to run (default: where the model's parameters are).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass
            (:func:`rl_shared.runtime.autocast`); the softmax is taken in fp32.

    Shapes:
        returns ``([N, C], [N])``.

    References:
        L2R-GNN, arXiv:2312.12475.

    Example:
        >>> import torch
        >>> from torch_geometric.data import Data
        >>> from rl_graph.core.models import GINClassifier
        >>> from torch_geometric.loader import DataLoader
        >>> g = Data(x=torch.ones(2, 1), edge_index=torch.tensor([[0], [1]]), y=torch.tensor([0]))
        >>> predict(GINClassifier(1, 4, 3), DataLoader([g], batch_size=1))[0].shape
        (1, 3)
    """
    model.eval()
    if device is None:
        first = next(model.parameters(), None)
        device = first.device if first is not None else torch.device("cpu")
    probs, labels = [], []
    for batch in loader:
        batch = batch.to(device)
        with autocast(device, precision):
            logits = model(batch)
        probs.append(torch.softmax(logits.float(), -1).cpu().numpy())
        labels.append(batch.y.view(-1).cpu().numpy())
    return np.concatenate(probs), np.concatenate(labels)


def evaluate(
    model: nn.Module,
    loader: Iterable,
    metric: str = "accuracy",
    device: torch.device | str | None = None,
    precision: str = "fp32",
) -> float:
    """Accuracy or ROC-AUC (scikit-learn, positive class 1) of ``model`` on ``loader``.

    Args:
        model: a trained classifier.
        loader: batches with labels ``y``.
        metric: ``"accuracy"`` or ``"roc_auc"``.
        device: where to run (default: where the model's parameters are).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the forward pass.

    References:
        L2R-GNN, arXiv:2312.12475 (accuracy on Spurious-Motif, ROC-AUC on molecules).

    Example:
        >>> import torch
        >>> from torch_geometric.data import Data
        >>> from torch_geometric.loader import DataLoader
        >>> from rl_graph.core.models import GINClassifier
        >>> g = Data(x=torch.ones(2, 1), edge_index=torch.tensor([[0], [1]]), y=torch.tensor([0]))
        >>> 0.0 <= evaluate(GINClassifier(1, 4, 3), DataLoader([g, g], batch_size=2)) <= 1.0
        True
    """
    from sklearn.metrics import accuracy_score, roc_auc_score

    if metric not in ("accuracy", "roc_auc"):
        raise UnknownName("metric", metric, ["accuracy", "roc_auc"])
    probs, labels = predict(model, loader, device, precision)
    if metric == "accuracy":
        return float(accuracy_score(labels, probs.argmax(1)))
    if len(np.unique(labels)) < 2:
        raise BadInput("ROC-AUC needs both classes in the evaluation set")
    return float(roc_auc_score(labels, probs[:, 1]))
