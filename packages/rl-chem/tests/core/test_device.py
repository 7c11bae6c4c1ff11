"""``--device`` / ``--precision`` of the SCF commands: torch functionals run on the chosen
device (results back to NumPy for PySCF); SCF refuses any precision but fp32."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from rl_chem.cli import group
from rl_chem.core import molecules
from rl_chem.core.molecules import build_mol, check_scf_precision, run_scf
from rl_chem.core.numint import TorchNumInt, eval_xc_torch, get_functional
from rl_shared.errors import BadInput
from rl_shared.testing import refused

H2 = ["--atom", "H 0 0 0; H 0 0 0.74", "--basis", "sto-3g", "--grid-level", "0"]
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


@pytest.fixture
def no_scf(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("an SCF ran although the precision is refused")

    monkeypatch.setattr(molecules, "run_scf", boom)
    monkeypatch.setattr(molecules.gto, "Mole", boom)


@pytest.mark.parametrize(
    "argv",
    [
        ["chem", "scf", *H2],
        ["chem", "skala", "evaluate", "--data", "H2", "--basis", "sto-3g"],
        ["chem", "xcnn", "evaluate", "--limit", "1"],
    ],
)
@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_scf_commands_refuse_reduced_precision_in_one_sentence(capsys, no_scf, argv, precision):
    line = refused(capsys, [*argv, "--precision", precision], only_line=True)
    assert f"--precision {precision} is not available for SCF" in line and "fp32" in line


def test_check_scf_precision_accepts_only_fp32():
    check_scf_precision("fp32")
    with pytest.raises(BadInput, match="use --precision fp32"):
        check_scf_precision("bf16")


def test_scf_on_the_cpu_device_equals_the_default():
    runner = CliRunner()
    default = json.loads(runner.invoke(group, ["scf", *H2, "--model", "pbe", "--json"]).stdout)
    cpu = runner.invoke(group, ["scf", *H2, "--model", "pbe", "--device", "cpu",
                                "--precision", "fp32", "--json"])  # fmt: skip
    assert cpu.exit_code == 0, cpu.output
    assert json.loads(cpu.stdout)["energy"] == default["energy"]


def test_torch_numint_evaluates_on_its_device_and_leaves_the_callers_functional():
    from rl_chem.skala.model import NeuralXC

    neural = NeuralXC(hidden=4)
    ni = TorchNumInt(neural, device=torch.device("cpu"))
    assert ni.functional is neural and ni.device.type == "cpu"
    rho = np.abs(np.random.default_rng(0).normal(size=(2, 5, 7))) + 0.1
    a = eval_xc_torch(neural, rho, spin=1, deriv=2)
    b = eval_xc_torch(neural, rho, spin=1, deriv=2, device=torch.device("cpu"))
    for x, y in zip(a, b, strict=True):
        assert isinstance(y, np.ndarray) and np.array_equal(x, y)


@CUDA
def test_scf_on_cuda_matches_the_cpu():
    from rl_chem.skala.model import NeuralXC

    mol = build_mol("H 0 0 0; H 0 0 0.74", basis="sto-3g")
    for xc in ("pbe", NeuralXC(hidden=4)):
        cpu = run_scf(mol, xc=xc, grid_level=0, device=torch.device("cpu"))["energy"]
        gpu = run_scf(mol, xc=xc, grid_level=0, device=torch.device("cuda"))["energy"]
        assert abs(cpu - gpu) < 1e-8
    neural = NeuralXC(hidden=4)
    ni = TorchNumInt(neural, device=torch.device("cuda"))
    assert next(ni.functional.parameters()).is_cuda and not next(neural.parameters()).is_cuda
    assert get_functional("pbe") is not None
