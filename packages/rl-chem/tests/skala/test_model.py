"""Exact constraints of the neural functional hold for any weights; checkpoints round-trip."""

from __future__ import annotations

import math

import pytest
import torch

from rl_chem.core.functionals import LDA, PBE, R2SCAN
from rl_chem.skala.model import NeuralXC, load_functional, save_functional


def _random_weights(model: NeuralXC, seed: int = 0) -> NeuralXC:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype))
    return model


def _uniform(na: torch.Tensor, nb: torch.Tensor) -> torch.Tensor:
    rho = torch.zeros(2, 5, na.numel(), dtype=torch.float64)
    for s, n in enumerate((na, nb)):
        rho[s, 0] = n
        rho[s, 4] = 0.3 * (6 * math.pi**2) ** (2 / 3) * n ** (5 / 3)  # tau_unif of one spin
    return rho


@pytest.mark.parametrize("base", ["pbe", "r2scan"])
def test_zero_initialised_model_is_its_base(base, rho):
    ref = {"pbe": PBE, "r2scan": R2SCAN}[base]()
    torch.testing.assert_close(NeuralXC(base=base)(rho), ref(rho), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("base", ["pbe", "r2scan"])
def test_uniform_gas_limit_is_lsda_for_any_weights(base):
    g = torch.Generator().manual_seed(1)
    na = 10 ** (torch.rand(50, generator=g, dtype=torch.float64) * 4 - 3)
    nb = na * torch.rand(50, generator=g, dtype=torch.float64)
    rho = _uniform(na, nb)
    model = _random_weights(NeuralXC(base=base))
    torch.testing.assert_close(model(rho), LDA()(rho), rtol=1e-9, atol=1e-14)


def test_exchange_obeys_exact_spin_scaling(rho):
    model = _random_weights(NeuralXC())
    both = model.exchange(rho)
    a = model.exchange(torch.stack([rho[0], rho[0]]))
    b = model.exchange(torch.stack([rho[1], rho[1]]))
    torch.testing.assert_close(both, 0.5 * (a + b), rtol=1e-12, atol=1e-15)


def test_spin_swap_symmetry_and_non_positive_parts(rho):
    model = _random_weights(NeuralXC(base="r2scan"), seed=3)
    torch.testing.assert_close(model(rho.flip(0)), model(rho), rtol=1e-12, atol=1e-15)
    pre = model.precompute(rho)
    assert (model.exchange(rho) <= 0).all()
    ec = pre["ec"] * model._enh(model.net_c, pre["fc"])
    assert (ec <= 1e-15).all()
    enh = model._enh(model.net_x, pre["fx"])
    assert ((enh > 0.5 - 1e-12) & (enh < 1.5 + 1e-12)).all()


def test_checkpoint_round_trip(tmp_path, rho):
    model = _random_weights(NeuralXC(hidden=8))
    folder = save_functional(model, tmp_path / "f")
    assert (folder / "model.safetensors").is_file() and (folder / "config.json").is_file()
    torch.testing.assert_close(load_functional(folder)(rho), model(rho))


def test_bad_arguments_raise_one_sentence(tmp_path):
    from rl_shared.errors import BadInput, ModelNotFound

    with pytest.raises(BadInput, match="scale"):
        NeuralXC(scale=1.5)
    with pytest.raises(ModelNotFound, match="rl chem skala train"):
        load_functional(tmp_path)
