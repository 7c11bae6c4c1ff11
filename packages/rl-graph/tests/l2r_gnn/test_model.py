import pytest
import torch

from rl_graph.l2r_gnn.losses import cross_cluster_dependence, random_fourier_features
from rl_graph.l2r_gnn.model import L2RReweighter
from rl_shared.errors import ShapeMismatch


def _correlated(n=64, seed=0):
    gen = torch.Generator().manual_seed(seed)
    a, b = torch.randn(n, generator=gen), torch.randn(n, generator=gen)
    return torch.stack([a, a + 0.3 * torch.randn(n, generator=gen), b, 0.8 * a + 0.6 * b], 1)


def test_weights_positive_and_sum_to_batch_size():
    rw = L2RReweighter(num_clusters=2)
    w = rw(_correlated())
    assert (w > 0).all() and w.sum().item() == pytest.approx(64, rel=1e-5)
    assert not w.requires_grad


def test_learned_weights_reduce_cross_cluster_dependence():
    z = _correlated()
    rw = L2RReweighter(num_clusters=2, inner_steps=50, inner_lr=0.1, reg=0.0)
    rw.observe(z)
    assert rw.dependence(z, rw(z)) < 0.7 * rw.dependence(z)


def test_closed_form_inner_gradient_matches_autograd():
    z = _correlated(16).double()
    rw = L2RReweighter(num_clusters=2, num_rff=3, reg=0.3)
    rw.observe(z)
    feats = random_fourier_features(z, 3, rw.seed)
    var_cluster = rw.clusters.repeat_interleave(3)
    mask = (var_cluster[:, None] != var_cluster[None, :]).double()
    theta = torch.randn(16, dtype=torch.double, requires_grad=True)
    w = 16 * torch.softmax(theta, 0)
    loss = cross_cluster_dependence(feats, rw.clusters, w) + 0.3 * (w - 1).pow(2).mean()
    loss.backward()
    assert torch.allclose(
        theta.grad, rw.inner_gradient(feats.reshape(16, -1), mask, theta.detach())
    )


def test_errors():
    rw = L2RReweighter(num_clusters=2)
    rw(torch.randn(8, 4))
    with pytest.raises(ShapeMismatch, match="one reweighter per representation"):
        rw(torch.randn(8, 5))
    with pytest.raises(ShapeMismatch, match="z must be"):
        rw(torch.randn(1, 4))
