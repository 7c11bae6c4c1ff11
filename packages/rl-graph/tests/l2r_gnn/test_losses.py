import pytest
import torch

from rl_graph.l2r_gnn.losses import (
    cluster_variables,
    correlation_stability,
    cross_cluster_dependence,
    random_fourier_features,
)
from rl_shared.errors import BadInput, ShapeMismatch


def _pair(n=400, dependent=True, seed=0):
    gen = torch.Generator().manual_seed(seed)
    a = torch.randn(n, generator=gen)
    b = (
        a.pow(2) + 0.1 * torch.randn(n, generator=gen)
        if dependent
        else torch.randn(n, generator=gen)
    )
    return torch.stack([a, b], 1)


def test_dependence_lower_on_independent_than_on_correlated_features():
    clusters = torch.tensor([0, 1])
    dep = cross_cluster_dependence(random_fourier_features(_pair(dependent=True)), clusters)
    ind = cross_cluster_dependence(random_fourier_features(_pair(dependent=False)), clusters)
    # nonlinear (a, a²) dependence has zero linear correlation but is caught by the RFFs
    assert float(torch.corrcoef(_pair().T)[0, 1]).__abs__() < 0.3
    assert dep > 5 * ind


def test_only_cross_cluster_pairs_count():
    feats = random_fourier_features(_pair(dependent=True))
    assert cross_cluster_dependence(feats, torch.tensor([0, 0])).item() == 0.0


def test_weights_are_normalised_and_differentiable():
    feats = random_fourier_features(_pair(n=50))
    w = torch.rand(50, requires_grad=True)
    value = cross_cluster_dependence(feats, torch.tensor([0, 1]), w)
    assert torch.allclose(value, cross_cluster_dependence(feats, torch.tensor([0, 1]), 3 * w))
    value.backward()
    assert w.grad is not None and torch.isfinite(w.grad).all()


def test_stability_and_clustering_group_stably_correlated_variables():
    gen = torch.Generator().manual_seed(0)
    corrs = []
    for _ in range(5):
        base = torch.randn(200, 2, generator=gen)
        z = torch.stack(
            [
                base[:, 0],
                base[:, 0] + 0.1 * torch.randn(200, generator=gen),
                base[:, 1],
                base[:, 1] * 2,
            ],
            1,
        )
        corrs.append(torch.corrcoef(z.T))
    stability = correlation_stability(torch.stack(corrs))
    assert stability[0, 1] > 0.9 and stability[0, 2] < 0.3
    assert cluster_variables(stability, 2).tolist() == [0, 0, 1, 1]


def test_errors():
    with pytest.raises(ShapeMismatch):
        random_fourier_features(torch.randn(5))
    with pytest.raises(ShapeMismatch, match="clusters must have shape"):
        cross_cluster_dependence(torch.randn(4, 3, 2), torch.tensor([0, 1]))
    with pytest.raises(BadInput, match="num_clusters"):
        cluster_variables(torch.eye(3), 4)
