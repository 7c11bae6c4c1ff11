"""``rl chem skala``: impossible splits and broken model folders are refused before any
reference or SCF calculation, and nothing is written."""

from __future__ import annotations

import json

import pytest
import torch

import rl_chem.core.atomization  # noqa: F401  (imported before any patch: none leaks)
from rl_chem.core import reference_data
from rl_chem.skala.model import NeuralXC, load_functional, save_functional
from rl_chem.skala.train import check_split, split_molecules
from rl_shared.errors import BadInput, MalformedFile
from rl_shared.testing import refused


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if a reference energy or an SCF is computed."""

    def boom(*args, **kwargs):
        raise AssertionError("a calculation ran before the input was checked")

    monkeypatch.setattr(reference_data, "compute_reference", boom)
    monkeypatch.setattr("rl_chem.skala.train.compute_reference", boom)
    monkeypatch.setattr("rl_chem.core.molecules.run_scf", boom)
    monkeypatch.setattr("rl_chem.core.atomization.run_scf", boom)


def _refused(capsys, argv: list[str]) -> str:
    return refused(
        capsys,
        argv,
        prefix=(
            "chem",
            "skala",
        ),
        only_line=True,
    )


@pytest.mark.parametrize("option", ["--steps", "--n-val", "--n-test"])
def test_zero_steps_or_an_empty_validation_or_test_set_is_refused(tmp_path, capsys, option):
    line = _refused(capsys, ["train", "--out", str(tmp_path / "run"), option, "0"])
    assert option in line and "x>=1" in line
    assert not (tmp_path / "run").exists()


def test_a_split_that_leaves_no_training_molecule_is_refused_before_any_work(
    tmp_path, capsys, no_work
):
    out = tmp_path / "run"
    line = _refused(capsys, ["train", "--data", "H2,LiH", "--out", str(out), "--n-val", "1",
                             "--n-test", "1"])  # fmt: skip
    assert "--n-val 1 and --n-test 1 leave no training molecule: --data H2,LiH has 2" in line
    assert not out.exists()


def test_check_split_and_split_molecules():
    check_split(3, 1, 1)
    with pytest.raises(BadInput, match="leave no training molecule: the set has 3 molecules"):
        check_split(3, 2, 1)
    with pytest.raises(BadInput, match="listed twice"):
        split_molecules(["H2", "LiH", "H2"], 1, 1)
    train, val, test = split_molecules(["H2", "LiH", "Li2", "CH4"], 1, 1)
    assert not (set(train) & set(val)) and not (set(train) & set(test)) and len(train) == 2


def test_a_repeated_molecule_is_refused(tmp_path, capsys, no_work):
    line = _refused(capsys, ["train", "--data", "H2,LiH,H2,CH4", "--out", str(tmp_path / "r")])
    assert "names H2 more than once" in line


def test_resuming_past_the_requested_steps_is_refused(tmp_path, capsys, no_work):
    (tmp_path / "run" / "checkpoints" / "step-000300").mkdir(parents=True)
    line = _refused(capsys, ["train", "--data", "H2,LiH,Li2,CH4", "--out", str(tmp_path / "run"),
                             "--n-val", "1", "--n-test", "1", "--steps", "100"])  # fmt: skip
    assert "checkpoint at step 300, beyond --steps 100" in line


def _saved(tmp_path) -> object:
    return save_functional(NeuralXC(hidden=4, layers=1), tmp_path / "model")


def test_a_model_config_without_an_architecture_field_is_refused(tmp_path):
    folder = _saved(tmp_path)
    payload = json.loads((folder / "config.json").read_text())
    del payload["config"]["hidden"]
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=r"config\.json: config\.hidden is None"):
        load_functional(folder)


def test_model_weights_that_are_not_finite_are_refused(tmp_path):
    model = NeuralXC(hidden=4, layers=1)
    with torch.no_grad():
        model.net_x[0].weight[0, 0] = float("nan")
    folder = save_functional(model, tmp_path / "model")
    with pytest.raises(BadInput, match="hold NaN or infinity"):
        load_functional(folder)


def test_evaluate_refuses_a_broken_model_before_the_references(tmp_path, capsys, no_work):
    folder = _saved(tmp_path)
    (folder / "config.json").write_text("")
    line = _refused(capsys, ["evaluate", "--model", str(folder), "--data", "H2"])
    assert "config.json: the file is empty" in line


def test_evaluate_against_experiment_without_any_experimental_value_is_refused(capsys, no_work):
    line = _refused(capsys, ["evaluate", "--data", "BF3,AlF3", "--reference", "experiment"])
    assert "no molecule of --data BF3,AlF3 has an experimental atomization energy" in line
