"""Isotropy transforms of an embedding space: whitening (quasi-isotropic) and ICA (isotropic).

Both are affine maps ``z = (x - mean) @ matrix.T`` fitted on the entry embeddings and kept
as torch tensors, so the same map can be applied to sentence embeddings inside a loss and
gradients flow through it.

* ``whiten``: ZCA whitening, ``matrix = U diag(1/sqrt(λ + eps)) U^T`` from the eigen
  decomposition of the covariance; the transformed entries have identity covariance.
* ``ica``: scikit-learn's ``FastICA`` (``whiten="unit-variance"``); ``matrix`` is its
  unmixing matrix ``components_`` — statistically independent, unit-variance coordinates.
* ``none``: centring only (the "no isotropy transform" ablation).

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting definition
    sentences into a quasi-isotropic or isotropic vector space of unlimited dictionary
    entries", arXiv:2405.16153 (2024); Su et al., "Whitening Sentence Representations for
    Better Semantics and Faster Retrieval", arXiv:2103.15316.

Example:
    >>> import torch
    >>> x = torch.randn(500, 4, dtype=torch.float64) @ torch.tensor(
    ...     [[2.0, 0, 0, 0], [1, 1, 0, 0], [0, 0, 3, 0], [0, 0, 1, 0.5]], dtype=torch.float64)
    >>> t = fit_isotropy(x, "whiten", eps=0.0)
    >>> z = t(x)
    >>> torch.allclose(torch.cov(z.T), torch.eye(4, dtype=torch.float64), atol=1e-6)
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from rl_shared.errors import BadInput, UnknownName

__all__ = ["ISOTROPY", "AffineTransform", "fit_isotropy"]

ISOTROPY = ("whiten", "ica", "none")


@dataclass
class AffineTransform:
    """``z = (x - mean) @ matrix.T``.

    Args:
        mean: ``(d,)``.
        matrix: ``(k, d)``.

    Shapes:
        ``__call__(x)``: ``(..., d) -> (..., k)``, in ``x``'s dtype and device.

    Example:
        >>> t = AffineTransform(torch.tensor([1.0, 1.0, 1.0]), torch.tensor([[1.0, 0, 0],
        ...                                                                 [0, 2.0, 0]]))
        >>> t(torch.tensor([[2.0, 3.0, 4.0]])), t.out_dim
        (tensor([[1., 4.]]), 2)
    """

    mean: Tensor
    matrix: Tensor

    def __call__(self, x: Tensor) -> Tensor:
        mean = self.mean.to(device=x.device, dtype=x.dtype)
        matrix = self.matrix.to(device=x.device, dtype=x.dtype)
        return (x - mean) @ matrix.T

    @property
    def out_dim(self) -> int:
        return int(self.matrix.shape[0])


def fit_isotropy(
    x: Tensor,
    method: str = "whiten",
    *,
    components: int | None = None,
    eps: float = 1e-6,
    seed: int = 0,
    max_iter: int = 400,
) -> AffineTransform:
    """Fit the isotropy transform ``method`` (:data:`ISOTROPY`) on the rows of ``x``.

    Args:
        x: ``(n, d)`` embeddings, ``n > d`` for a full-rank whitening.
        method: ``"whiten"``, ``"ica"`` or ``"none"``.
        components: keep this many output coordinates (whitening: the largest-variance
            ones; ICA: ``n_components``); default all ``d``.
        eps: added to the eigenvalues before the inverse square root, relative to the
            largest eigenvalue (scale-free).
        seed: ``FastICA``'s random state.
        max_iter: ``FastICA``'s iteration limit.

    Returns:
        the fitted map, float64 tensors on the CPU.

    Shapes:
        - x: (n, d)
        - output: an :class:`AffineTransform` with mean (d,) and matrix (k, d), where
          ``k = components`` (default ``d``); it maps (..., d) to (..., k)
    """
    if method not in ISOTROPY:
        raise UnknownName("isotropy", method, list(ISOTROPY))
    if x.ndim != 2 or x.shape[0] < 2:
        raise BadInput(f"isotropy needs a (n, d) matrix with n >= 2 rows, got {tuple(x.shape)}")
    data = x.detach().to("cpu", torch.float64)
    d = data.shape[1]
    k = d if components is None else components
    if not 1 <= k <= d:
        raise BadInput(f"components must be between 1 and {d}, got {k}")
    mean = data.mean(0)
    if method == "none":
        return AffineTransform(mean, torch.eye(d, dtype=torch.float64)[:k])
    if method == "whiten":
        cov = torch.cov(data.T)
        eigval, eigvec = torch.linalg.eigh(cov)  # ascending
        eigval, eigvec = eigval.flip(0)[:k], eigvec.flip(1)[:, :k]
        scale = (eigval.clamp_min(0) + eps * eigval[0].clamp_min(1e-300)).rsqrt()
        # ZCA (rotated back) when all components are kept, PCA whitening otherwise
        matrix = (eigvec * scale) @ eigvec.T if k == d else (eigvec * scale).T
        return AffineTransform(mean, matrix.contiguous())
    import warnings

    from sklearn.decomposition import FastICA
    from sklearn.exceptions import ConvergenceWarning

    ica = FastICA(n_components=k, whiten="unit-variance", random_state=seed, max_iter=max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ica.fit(data.numpy())
    matrix = torch.as_tensor(ica.components_, dtype=torch.float64)
    return AffineTransform(torch.as_tensor(ica.mean_, dtype=torch.float64), matrix)
