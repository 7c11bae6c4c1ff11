"""Fixed-density training lowers the error and resumes bit-exactly from checkpoints."""

from __future__ import annotations

import pytest
import torch

from rl_chem.core.numint import get_functional
from rl_chem.skala.model import NeuralXC
from rl_chem.skala.train import fixed_density, model_energies, train_fixed


@pytest.fixture(scope="module")
def data():
    return {n: fixed_density(n, basis="sto-3g", grid_level=0) for n in ["H", "H2"]}


def test_fixed_density_energy_equals_scf_energy(data):
    from rl_chem.core.molecules import run_scf
    from rl_chem.core.reference_data import system_mol

    e = model_energies(get_functional("pbe"), data)["H2"]
    scf = run_scf(system_mol("H2", "sto-3g"), xc="pbe", grid_level=0)["energy"]
    assert abs(float(e) - scf) < 1e-8


def _train(data, out, steps, resume):
    torch.manual_seed(0)
    model = NeuralXC(hidden=4)
    fit = train_fixed(model, data, {"H2": 109.0}, ["H2"], [], out, steps=steps, lr=1e-2,
                      checkpoint_every=2, resume=resume)  # fmt: skip
    return model, fit


def test_training_reduces_error_and_resumes_exactly(data, tmp_path):
    straight, fit = _train(data, tmp_path / "a", 6, resume=False)
    assert fit["history"][-1][1] < fit["history"][0][1]
    _train(data, tmp_path / "b", 4, resume=False)
    resumed, _ = _train(data, tmp_path / "b", 6, resume=True)
    for p, q in zip(straight.state_dict().values(), resumed.state_dict().values()):
        torch.testing.assert_close(p, q, rtol=0, atol=0)
