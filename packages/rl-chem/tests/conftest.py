"""Shared fixtures: an isolated cache folder and small random densities."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rl_shared.runtime import threads


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def random_rho(n: int = 500, seed: int = 0) -> np.ndarray:
    """Physical-looking spin-resolved rows ``(2, 5, n)``: tau >= tau_W per spin."""
    rng = np.random.default_rng(seed)
    out = np.zeros((2, 5, n))
    for s in range(2):
        dens = 10 ** rng.uniform(-4, 1, n)
        grad = rng.normal(size=(3, n)) * dens * rng.uniform(0, 3, n)
        tau = (grad**2).sum(0) / (8 * dens) * rng.uniform(1, 3, n) + 0.3 * dens ** (5 / 3)
        out[s, 0], out[s, 1:4], out[s, 4] = dens, grad, tau
    return out


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Small tensors on a shared 2-core box: one thread avoids 10x oversubscription slowdowns."""
    with threads(1):
        yield


@pytest.fixture
def rho_np() -> np.ndarray:
    return random_rho()


@pytest.fixture
def rho(rho_np: np.ndarray) -> torch.Tensor:
    return torch.tensor(rho_np)
