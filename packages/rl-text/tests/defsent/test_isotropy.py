from __future__ import annotations

import pytest
import torch

from rl_shared.errors import BadInput, UnknownName
from rl_text.defsent import fit_isotropy


def _anisotropic(n: int = 600, d: int = 6) -> torch.Tensor:
    gen = torch.Generator().manual_seed(0)
    mix = torch.randn(d, d, generator=gen, dtype=torch.float64)
    return torch.randn(n, d, generator=gen, dtype=torch.float64) @ mix + 3.0


def test_whitening_gives_identity_covariance_and_zero_mean() -> None:
    x = _anisotropic()
    assert not torch.allclose(torch.cov(x.T), torch.eye(6, dtype=torch.float64), atol=0.1)
    t = fit_isotropy(x, "whiten", eps=0.0)
    z = t(x)
    torch.testing.assert_close(torch.cov(z.T), torch.eye(6, dtype=torch.float64), atol=1e-8, rtol=0)
    # the default eps only regularises: still identity up to eps / eigenvalue
    z_eps = fit_isotropy(x, "whiten")(x)
    torch.testing.assert_close(
        torch.cov(z_eps.T), torch.eye(6, dtype=torch.float64), atol=1e-4, rtol=0
    )
    torch.testing.assert_close(z.mean(0), torch.zeros(6, dtype=torch.float64), atol=1e-9, rtol=0)
    # ZCA: symmetric matrix; PCA whitening with fewer components keeps identity covariance
    torch.testing.assert_close(t.matrix, t.matrix.T)
    z3 = fit_isotropy(x, "whiten", components=3, eps=0.0)(x)
    assert z3.shape == (600, 3)
    torch.testing.assert_close(
        torch.cov(z3.T), torch.eye(3, dtype=torch.float64), atol=1e-8, rtol=0
    )


def test_transform_is_differentiable_and_keeps_dtype() -> None:
    t = fit_isotropy(_anisotropic(), "whiten")
    x = torch.randn(4, 6, requires_grad=True)
    y = t(x)
    assert y.dtype == torch.float32
    y.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_ica_output_shape_and_unit_variance() -> None:
    gen = torch.Generator().manual_seed(1)
    sources = torch.rand(2000, 3, generator=gen, dtype=torch.float64) - 0.5  # non-Gaussian
    x = sources @ torch.tensor(
        [[1.0, 2.0, 0.5], [0.3, 1.0, 1.0], [2.0, 0.1, 1.0]], dtype=torch.float64
    )
    t = fit_isotropy(x.to(torch.float64), "ica", seed=0)
    z = t(x.to(torch.float64))
    assert t.matrix.shape == (3, 3) and z.shape == (2000, 3)
    torch.testing.assert_close(z.var(0), torch.ones(3, dtype=torch.float64), atol=0.02, rtol=0)
    # each recovered coordinate matches one source up to sign and scale
    corr = torch.corrcoef(torch.cat([z, sources], 1).T)[:3, 3:].abs()
    assert (corr.max(1).values > 0.99).all()
    assert fit_isotropy(x.double(), "ica", components=2)(x.double()).shape == (2000, 2)


def test_none_only_centres_and_bad_input() -> None:
    x = _anisotropic()
    torch.testing.assert_close(fit_isotropy(x, "none")(x), x - x.mean(0))
    with pytest.raises(UnknownName):
        fit_isotropy(x, "pca")
    with pytest.raises(BadInput, match="components"):
        fit_isotropy(x, "whiten", components=9)
    with pytest.raises(BadInput):
        fit_isotropy(torch.ones(1, 3), "whiten")
