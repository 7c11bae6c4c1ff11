"""Torch LDA/PBE/r2SCAN energy densities against libxc, point by point."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from pyscf.dft import libxc

from rl_chem.core.functionals import LDA, PBE, R2SCAN

NVAR = {"LDA": 1, "GGA": 4, "MGGA": 6}


def _libxc_rows(rho: np.ndarray) -> np.ndarray:
    """Insert a zero Laplacian row: libxc's MGGA layout is [n, grad, lapl, tau]."""
    lap = np.zeros_like(rho[:, :1])
    return np.concatenate([rho[:, :4], lap, rho[:, 4:]], axis=1)


@pytest.mark.parametrize("cls", [LDA, PBE, R2SCAN])
def test_polarised_energy_density_matches_libxc(cls, rho_np):
    f = cls()
    rows = _libxc_rows(rho_np)[:, : NVAR[f.xctype]]
    ref = libxc.eval_xc(f.libxc_code, rows, spin=1, deriv=0)[0] * rho_np[:, 0].sum(0)
    ours = f(torch.tensor(rho_np)).numpy()
    np.testing.assert_allclose(ours, ref, rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("cls", [LDA, PBE, R2SCAN])
def test_unpolarised_energy_density_matches_libxc(cls, rho_np):
    f = cls()
    half = rho_np[:1].repeat(2, axis=0)
    total = 2 * _libxc_rows(half)[0, : NVAR[f.xctype]]
    ref = libxc.eval_xc(f.libxc_code, total, spin=0, deriv=0)[0] * total[0]
    np.testing.assert_allclose(f(torch.tensor(half)).numpy(), ref, rtol=1e-11, atol=1e-14)


def test_zero_density_gives_zero_energy_and_finite_gradient():
    rho = torch.zeros(2, 5, 3, dtype=torch.float64, requires_grad=True)
    e = R2SCAN()(rho)
    (g,) = torch.autograd.grad(e.sum(), rho)
    assert torch.all(e == 0) and torch.isfinite(g).all()
