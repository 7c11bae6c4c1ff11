import numpy as np
import pytest
import torch
from torch_geometric.data import Data
from torch_geometric.loader import DataLoader

from rl_graph.core.models import GINClassifier
from rl_graph.core.training import evaluate, predict
from rl_shared.errors import BadInput, UnknownName


def _graphs(labels):
    edge = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
    return [
        Data(x=torch.full((3, 1), float(i)), edge_index=edge, y=torch.tensor([y]))
        for i, y in enumerate(labels)
    ]


def test_predict_gives_probabilities_in_loader_order():
    torch.manual_seed(0)
    probs, labels = predict(GINClassifier(1, 8, 3), DataLoader(_graphs([2, 0, 1, 1]), batch_size=3))
    assert probs.shape == (4, 3) and np.allclose(probs.sum(1), 1, atol=1e-6)
    assert labels.tolist() == [2, 0, 1, 1]


def test_metrics_match_scikit_learn():
    from sklearn.metrics import accuracy_score, roc_auc_score

    torch.manual_seed(0)
    model, loader = GINClassifier(1, 8, 2), DataLoader(_graphs([0, 1, 1, 0, 1]), batch_size=2)
    probs, labels = predict(model, loader)
    assert evaluate(model, loader) == accuracy_score(labels, probs.argmax(1))
    assert evaluate(model, loader, "roc_auc") == roc_auc_score(labels, probs[:, 1])


def test_errors():
    model, loader = GINClassifier(1, 8, 2), DataLoader(_graphs([1, 1]), batch_size=2)
    with pytest.raises(UnknownName, match="valid metrics: accuracy, roc_auc"):
        evaluate(model, loader, "f1")
    with pytest.raises(BadInput, match="both classes"):
        evaluate(model, loader, "roc_auc")
