import math

import pytest
import torch
from torch_geometric.loader import DataLoader
from torch_geometric.nn import GCNConv, global_mean_pool

import rl_graph
from rl_graph.core.models import GINClassifier
from rl_graph.core.training import evaluate
from rl_graph.l2r_gnn.embedding import graph_embedding
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


class PlainGCN(torch.nn.Module):
    """A plain PyG classifier: no embed()/head(), forward(batch) -> logits."""

    def __init__(self, hidden=8, classes=3, mlp_head=False):
        super().__init__()
        self.conv = GCNConv(1, hidden)
        self.proj = torch.nn.Linear(hidden, hidden) if mlp_head else None
        self.out = torch.nn.Linear(hidden, classes)

    def pooled(self, batch):
        return global_mean_pool(self.conv(batch.x, batch.edge_index).relu(), batch.batch)

    def forward(self, batch):
        h = self.pooled(batch)
        return self.out(h if self.proj is None else self.proj(h).relu())


class NoLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = GCNConv(1, 3)

    def forward(self, batch):
        return global_mean_pool(self.conv(batch.x, batch.edge_index), batch.batch)


@pytest.mark.parametrize("method", ["erm", "l2r"])
def test_plain_pyg_model_trains(graphs, method):
    torch.manual_seed(0)
    model = PlainGCN()
    before = [p.detach().clone() for p in model.parameters()]
    rw = L2RReweighter(num_clusters=2, inner_steps=2)
    hist = rl_graph.train(model, DataLoader(graphs, batch_size=30), method, epochs=2, reweighter=rw)
    assert len(hist["loss"]) == 2 and all(math.isfinite(v) for v in hist["loss"])
    assert (method == "l2r") == all(d >= 0 for d in hist["dependence"])  # NaN under ERM
    assert any(not torch.equal(p, q) for p, q in zip(before, model.parameters()))
    assert not model.out._forward_hooks and not model.conv._forward_hooks  # hooks removed


def test_hooked_embedding_is_the_head_input(graphs):
    torch.manual_seed(0)
    batch = next(iter(DataLoader(graphs, batch_size=12)))
    model = PlainGCN(mlp_head=True).eval()
    with torch.no_grad():
        pooled = model.pooled(batch)
        head_in = model.proj(pooled).relu()
        z, logits = graph_embedding(model, batch)  # the last torch.nn.Linear called: out
        torch.testing.assert_close(z, head_in, rtol=0, atol=0)
        torch.testing.assert_close(logits, model.out(head_in), rtol=0, atol=0)
        z_out, _ = graph_embedding(model, batch, embedding_module="out")  # the head: its input
        z_proj, _ = graph_embedding(model, batch, embedding_module=model.proj)  # its output
        torch.testing.assert_close(z_out, head_in, rtol=0, atol=0)
        torch.testing.assert_close(z_proj, model.proj(pooled), rtol=0, atol=0)
        gin = GINClassifier(1, 8, 3).eval()  # the embed()/head() protocol is kept
        torch.testing.assert_close(graph_embedding(gin, batch)[0], gin.embed(batch))


def test_model_without_embedding_gets_a_clear_error(graphs):
    loader = DataLoader(graphs, batch_size=30)
    message = (
        r"model NoLinear has no embed\(\)/head\(\) and no torch.nn.Linear to hook; "
        r"pass embedding_module=\.\.\.$"
    )
    with pytest.raises(BadInput, match=message):
        rl_graph.train(NoLinear(), loader, "l2r", epochs=1)
    assert len(rl_graph.train(NoLinear(), loader, "erm", epochs=1)["loss"]) == 1  # no need
    with pytest.raises(BadInput, match=r"is \(\d+, 3\), not \(graphs, features\) for 30 graphs"):
        rl_graph.train(NoLinear(), loader, "l2r", epochs=1, embedding_module="conv")  # nodes
    with pytest.raises(UnknownName, match="valid submodules: conv"):
        rl_graph.train(NoLinear(), loader, "l2r", epochs=1, embedding_module="pool")
    with pytest.raises(BadInput, match="not a submodule of model NoLinear"):
        rl_graph.train(NoLinear(), loader, "l2r", epochs=1, embedding_module=torch.nn.Linear(1, 1))
