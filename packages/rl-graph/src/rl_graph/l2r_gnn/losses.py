"""Nonlinear decorrelation between clusters of representation variables (RFF / HSIC-style).

Each variable (column) of a representation is mapped to random Fourier features; the
weighted cross-covariance of the features of two variables is zero exactly when they are
independent under the weighted distribution (for enough features), as in HSIC. L2R-GNN
decorrelates only variables in *different* clusters; :func:`cluster_variables` builds the
clusters from the stability of correlations across batches. scikit-learn's
``AgglomerativeClustering`` does the clustering; what this module adds is the weighted
RFF cross-cluster dependence and the stability score.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Zhang et al., Deep Stable Learning for Out-of-Distribution Generalization (StableNet),
    arXiv:2104.07876.

Example:
    >>> import torch
    >>> z = torch.randn(256, 4)
    >>> feats = random_fourier_features(z, num_features=5, seed=0)
    >>> feats.shape
    torch.Size([256, 4, 5])
    >>> clusters = torch.tensor([0, 0, 1, 1])
    >>> float(cross_cluster_dependence(feats, clusters)) < 0.05
    True
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import Tensor

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = [
    "cluster_variables",
    "correlation_stability",
    "cross_cluster_dependence",
    "random_fourier_features",
]


def random_fourier_features(z: Tensor, num_features: int = 5, seed: int = 0) -> Tensor:
    """Random Fourier features of each variable separately (Gaussian-kernel approximation).

    Args:
        z: representations; standardised per variable inside.
        num_features: features per variable (R).
        seed: draws the frequencies and phases (fixed so a measurement is repeatable).

    Shapes:
        z: ``[n, d]`` -> ``[n, d, R]``.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
        Zhang et al., Deep Stable Learning (StableNet), arXiv:2104.07876.

    Example:
        >>> random_fourier_features(torch.zeros(3, 2), 4).shape
        torch.Size([3, 2, 4])
    """
    if z.dim() != 2:
        raise ShapeMismatch(f"z must be [n, d], got shape {tuple(z.shape)}")
    gen = torch.Generator().manual_seed(seed)
    d = z.shape[1]
    w = torch.randn(d, num_features, generator=gen).to(z)
    phase = (2 * math.pi * torch.rand(d, num_features, generator=gen)).to(z)
    zs = (z - z.mean(0)) / (z.std(0, unbiased=False) + 1e-6)
    return math.sqrt(2.0) * torch.cos(zs[:, :, None] * w + phase)


def cross_cluster_dependence(
    features: Tensor, clusters: Tensor, weights: Tensor | None = None
) -> Tensor:
    """Mean squared weighted cross-covariance between RFFs of variables in different clusters.

    Zero when every pair of variables from different clusters is independent under the
    sample weights (an HSIC estimate with the RFF kernel); pairs inside a cluster are
    not penalised. Differentiable in ``weights``.

    Args:
        features: output of :func:`random_fourier_features`.
        clusters: cluster id of each variable.
        weights: non-negative sample weights (default: all ones); normalised inside.

    Shapes:
        features: ``[n, d, R]``; clusters: ``[d]``; weights: ``[n]`` -> scalar.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> f = random_fourier_features(torch.randn(64, 3))
        >>> cross_cluster_dependence(f, torch.tensor([0, 0, 0])).item()
        0.0
    """
    n, d, r = features.shape
    if clusters.shape != (d,):
        raise ShapeMismatch(f"clusters must have shape [{d}], got {tuple(clusters.shape)}")
    if weights is None:
        weights = torch.ones(n, dtype=features.dtype, device=features.device)
    if weights.shape != (n,):
        raise ShapeMismatch(f"weights must have shape [{n}], got {tuple(weights.shape)}")
    p = weights / weights.sum()
    flat = features.reshape(n, d * r)
    centred = flat - p @ flat
    cov = (centred * p[:, None]).T @ centred  # [dR, dR]
    var_cluster = clusters.repeat_interleave(r)
    mask = (var_cluster[:, None] != var_cluster[None, :]).to(cov)
    pairs = mask.sum()
    if pairs == 0:
        return cov.new_zeros(())
    return (cov.pow(2) * mask).sum() / pairs * r


def correlation_stability(correlations: Tensor) -> Tensor:
    """How strongly and stably two variables correlate across batches, in ``[0, 1]``.

    ``mean_t |ρ_t| · (1 − std_t ρ_t)``: high for pairs that are correlated in every batch
    (stable, kept inside one cluster), low for weak or fluctuating ones.

    Args:
        correlations: per-batch correlation matrices.

    Shapes:
        correlations: ``[T, d, d]`` -> ``[d, d]``.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> c = torch.eye(2).expand(3, 2, 2)
        >>> correlation_stability(c).diagonal().tolist()
        [1.0, 1.0]
    """
    if correlations.dim() != 3 or correlations.shape[1] != correlations.shape[2]:
        raise ShapeMismatch(f"correlations must be [T, d, d], got {tuple(correlations.shape)}")
    c = torch.nan_to_num(correlations)
    std = c.std(0, unbiased=False) if c.shape[0] > 1 else torch.zeros_like(c[0])
    return (c.abs().mean(0) * (1 - std).clamp(min=0)).clamp(0, 1)


def cluster_variables(stability: Tensor, num_clusters: int) -> Tensor:
    """Group variables whose correlations are strong and stable (average-linkage clustering).

    Args:
        stability: output of :func:`correlation_stability`; ``1 - stability`` is the distance.
        num_clusters: number of clusters (at most ``d``).

    Shapes:
        stability: ``[d, d]`` -> cluster ids ``[d]``.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> s = torch.tensor([[1.0, 0.9, 0.0], [0.9, 1.0, 0.1], [0.0, 0.1, 1.0]])
        >>> cluster_variables(s, 2).tolist()
        [0, 0, 1]
    """
    from sklearn.cluster import AgglomerativeClustering

    d = stability.shape[0]
    if not 1 <= num_clusters <= d:
        raise BadInput(f"num_clusters must be between 1 and {d} (variables), got {num_clusters}")
    if num_clusters == 1 or d == 1:
        return torch.zeros(d, dtype=torch.long)
    dist = (1 - stability.detach().cpu().double()).clamp(min=0).numpy()
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=num_clusters, metric="precomputed", linkage="average"
    ).fit_predict(dist)
    # renumber by first appearance so results are canonical
    _, first = np.unique(labels, return_index=True)
    order = {old: new for new, old in enumerate(labels[np.sort(first)])}
    return torch.tensor([order[x] for x in labels], dtype=torch.long)
