import pytest
import torch
from torch_geometric.data import Batch

from rl_graph.vgnn.model import (
    VGNN,
    admission_graph,
    effective_rank,
    kl_standard_normal,
    singular_values,
)
from rl_shared.errors import BadInput


def test_kl_zero_for_standard_normal_and_matches_torch():
    assert kl_standard_normal(torch.zeros(4, 3), torch.zeros(4, 3)).item() == 0.0
    mu, logvar = torch.randn(5, 3), torch.randn(5, 3)
    q = torch.distributions.Normal(mu, (0.5 * logvar).exp())
    p = torch.distributions.Normal(torch.zeros(5, 3), torch.ones(5, 3))
    ref = torch.distributions.kl_divergence(q, p).sum(-1).mean()
    assert torch.allclose(kl_standard_normal(mu, logvar), ref, atol=1e-5)


def test_admission_graph_is_fully_connected_with_virtual_node():
    g = admission_graph([3, 1, 2], 1)
    assert g.enc_edge_index.shape[1] == 9 and int(g.is_virtual.sum()) == 1
    into_virtual = g.edge_index[:, g.edge_index[1] == 3]
    assert sorted(into_virtual[0].tolist()) == [0, 1, 2, 3]
    with pytest.raises(BadInput):
        admission_graph([], 0)


@pytest.mark.parametrize("variational", [True, False])
def test_prediction_invariant_to_code_order(variational):
    torch.manual_seed(0)
    model = VGNN(6, hidden=8, variational=variational).eval()
    a = Batch.from_data_list([admission_graph([0, 2, 5], 1)])
    b = Batch.from_data_list([admission_graph([5, 0, 2], 1)])
    (la, ka), (lb, kb) = model(a), model(b)
    assert torch.allclose(la, lb, atol=1e-5) and torch.allclose(ka, kb, atol=1e-5)
    if not variational:
        assert ka.item() == 0.0


def test_spectrum_helpers():
    x = torch.randn(50, 6)
    s = singular_values(x)
    assert s.sum() == pytest.approx(1.0) and (s[:-1] >= s[1:]).all()
    assert effective_rank(x[:, :1].repeat(1, 6)) == pytest.approx(1.0, abs=1e-6)
