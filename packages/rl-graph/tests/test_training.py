import pytest
import torch
from torch_geometric.loader import DataLoader

from rl_graph.models import GINClassifier
from rl_graph.reweighting import L2RReweighter
from rl_graph.spurious_motif import make_spurious_motif
from rl_graph.training import evaluate, train
from rl_shared.errors import BadInput, UnknownName


@pytest.fixture(scope="module")
def graphs():
    return make_spurious_motif(60, bias=1 / 3, seed=0)


@pytest.mark.parametrize("method", ["erm", "l2r"])
def test_training_lowers_the_loss(graphs, method):
    loader = DataLoader(graphs, batch_size=20, shuffle=True)
    rw = L2RReweighter(num_clusters=2, inner_steps=3)
    hist = train(GINClassifier(1, 16, 3), loader, method, epochs=6, lr=1e-2, reweighter=rw)
    assert hist["loss"][-1] < hist["loss"][0]
    if method == "l2r":
        assert all(d >= 0 for d in hist["dependence"])


def test_same_seed_same_model(graphs):
    def fit():
        torch.manual_seed(0)
        model = GINClassifier(1, 8, 3)
        train(model, DataLoader(graphs, batch_size=20), "l2r", epochs=2, seed=1)
        return model

    a, b = fit(), fit()
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_evaluate_and_errors(graphs):
    model = GINClassifier(1, 8, 3)
    loader = DataLoader(graphs, batch_size=30)
    assert 0.0 <= evaluate(model, loader) <= 1.0
    with pytest.raises(UnknownName, match="valid methods: erm, l2r"):
        train(model, loader, "irm")
    with pytest.raises(BadInput):
        train(model, loader, epochs=0)
    with pytest.raises(UnknownName):
        evaluate(model, loader, "f1")
