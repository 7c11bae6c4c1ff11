import pytest
import torch
from torch_geometric.loader import DataLoader

from rl_graph.core.models import GINClassifier
from rl_graph.core.training import evaluate
from rl_graph.l2r_gnn.model import L2RReweighter
from rl_graph.l2r_gnn.motif import make_spurious_motif
from rl_graph.l2r_gnn.train import load_gin, save_gin, train
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


def test_errors(graphs):
    model = GINClassifier(1, 8, 3)
    loader = DataLoader(graphs, batch_size=30)
    with pytest.raises(UnknownName, match="valid methods: erm, l2r"):
        train(model, loader, "irm")
    with pytest.raises(BadInput):
        train(model, loader, epochs=0)


def test_saved_model_predicts_the_same(graphs, tmp_path):
    model = GINClassifier(1, 8, 3, norm="graph_norm")
    train(model, DataLoader(graphs, batch_size=20), "erm", epochs=1)
    again = load_gin(save_gin(model, tmp_path / "model", extra={"method": "erm"}))
    loader = DataLoader(graphs, batch_size=60)
    batch = next(iter(loader))
    model.eval()
    assert torch.allclose(model(batch), again(batch))
    assert evaluate(model, loader) == evaluate(again, loader)
