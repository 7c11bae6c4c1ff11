"""Hostile input to `rl robotics sirl`: refused with one `error:` line, exit 2, nothing written."""

import json

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from rl_robotics.sirl import formats as _formats  # noqa: F401  (registers the samples)
from rl_robotics.sirl.cli import group
from rl_robotics.sirl.data import load_trajectories, read_trajectories, save_trajectories
from rl_robotics.sirl.evaluation import evaluate_model
from rl_robotics.sirl.experiment import ExperimentConfig, run_sirl_experiment
from rl_robotics.sirl.people import SimulatedPerson
from rl_robotics.sirl.train import SirlModel, train_sirl
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.formats import get_format
from rl_shared.testing import refused


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv)


@pytest.fixture
def model(tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    return get_format("sirl-model").write_sample(folder)


# ----------------------------------------------------------------- trajectory files


def test_trajectory_file_with_nan_states_is_refused(tmp_path):
    path = tmp_path / "t.npz"
    states = np.zeros((3, 2, 23))
    states[1, 0, 4] = np.inf
    np.savez(path, states=states)
    with pytest.raises(MalformedFile, match="NaN or infinite") as err:
        load_trajectories(path, 0)
    assert err.value.path == path


@pytest.mark.parametrize(
    "write, problem",
    [
        (lambda p: p.write_bytes(b""), "not a readable .npz"),
        (lambda p: p.write_bytes(b"PK\x03\x04 truncated"), "not a readable .npz"),
        (lambda p: p.write_text("states\n1,2,3\n"), "not a readable .npz"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
    ids=["empty", "truncated", "text", "folder"],
)
def test_unreadable_trajectory_file_names_the_file(tmp_path, write, problem):
    path = tmp_path / "t.npz"
    write(path)
    with pytest.raises(MalformedFile, match=problem) as err:
        read_trajectories(path)
    assert err.value.path == path and err.value.line is None


def test_truncated_trajectory_file_is_refused(tmp, tmp_path):
    path = save_trajectories(tmp, tmp_path / "good.npz")
    data = path.read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(MalformedFile, match=r"cut.npz: not a readable .npz"):
        read_trajectories(tmp_path / "cut.npz")


@pytest.fixture
def tmp(tiny):
    return tiny.subset(slice(0, 3))


def test_one_array_file_named_npz_is_refused(tmp_path):
    path = tmp_path / "t.npz"
    with open(path, "wb") as handle:
        np.save(handle, np.zeros((2, 2, 23)))
    with pytest.raises(MalformedFile, match="single array"):
        read_trajectories(path)


@pytest.mark.parametrize(
    "states, problem",
    [
        (np.zeros((2, 3, 22)), "must be"),
        (np.zeros((0, 3, 23)), "must be"),
        (np.zeros((2, 0, 23)), "must be"),
        (np.array([["a", "b"]]), "must hold numbers"),
    ],
    ids=["width", "no-trajectory", "no-state", "strings"],
)
def test_states_of_the_wrong_shape_or_type_are_refused(tmp_path, states, problem):
    np.savez(tmp_path / "t.npz", states=states)
    with pytest.raises(MalformedFile, match=problem):
        read_trajectories(tmp_path / "t.npz")


def test_bad_trajectory_file_on_the_command_line_exits_2_and_writes_nothing(tmp_path, capsys):
    np.savez(tmp_path / "t.npz", states=np.full((3, 2, 23), np.nan))
    out = tmp_path / "out"
    line = _refused(capsys, ["robotics", "sirl", "render", "--out", str(out), "--data", str(tmp_path / "t.npz")])  # fmt: skip
    assert "t.npz" in line and not out.exists()


@pytest.mark.parametrize("data", ["/no/such/file", "moved:test", "", "train.csv"])
def test_evaluate_data_that_is_neither_a_region_nor_a_npz_exits_2(model, capsys, data):
    line = _refused(capsys, ["robotics", "sirl", "evaluate", "--model", str(model), "--data", data])
    assert "placement region" in line


def test_evaluate_refuses_a_file_with_fewer_than_two_trajectories(model, tmp, tmp_path, capsys):
    path = save_trajectories(tmp.subset(slice(0, 1)), tmp_path / "one.npz")
    line = _refused(capsys, ["robotics", "sirl", "evaluate", "--model", str(model), "--data", str(path)])  # fmt: skip
    assert "one.npz holds 1 trajectory" in line


# ----------------------------------------------------------------- cross-option checks


@pytest.mark.parametrize("command", ["train", "compare"])
def test_pool_smaller_than_queries_is_refused(tmp_path, capsys, command):
    out = tmp_path / "out"
    argv = ["robotics", "sirl", command, "--pool", "10", "--queries", "20", "--steps", "1"]
    argv += ["--out", str(out)] if command == "train" else []
    line = _refused(capsys, argv)
    assert "'--pool'" in line and "smaller than the 20" in line and not out.exists()


def test_trajectory_file_smaller_than_queries_is_refused(tmp, tmp_path, capsys):
    path = save_trajectories(tmp, tmp_path / "pool.npz")
    out = tmp_path / "out"
    argv = ["robotics", "sirl", "train", "--out", str(out), "--data", str(path), "--queries", "5"]
    line = _refused(capsys, argv)
    assert "pool.npz holds 3 trajectories, fewer than the 5" in line and not out.exists()


def test_train_sirl_refuses_a_pool_smaller_than_the_queries(tmp):
    with pytest.raises(BadInput, match="fewer than the 4 similarity queries"):
        train_sirl(SimulatedPerson("table"), tmp, queries=4, preferences=2)


def test_experiment_refuses_a_pool_smaller_than_the_largest_budget():
    with pytest.raises(BadInput, match="smaller than the 30"):
        run_sirl_experiment(SimulatedPerson("table"), ExperimentConfig(queries=(5, 30), pool=20))


# ----------------------------------------------------------------- unknown names


def test_unknown_person_feature_lists_the_valid_names(tmp_path, capsys):
    out = tmp_path / "out"
    line = _refused(capsys, ["robotics", "sirl", "train", "--out", str(out), "--person", "laptop,cup"])  # fmt: skip
    assert "unknown feature 'cup'; valid features: coffee, laptop, person, speed, table" in line
    assert not out.exists()
    with pytest.raises(UnknownName):
        SimulatedPerson("spoon")


def test_repeated_person_feature_is_refused():
    with pytest.raises(BadInput, match="laptop repeated"):
        SimulatedPerson("laptop,table,laptop")


# ----------------------------------------------------------------- model folders


def test_model_sample_loads_and_scores(model, tmp):
    loaded = SirlModel.load(model)
    assert loaded.person.features == ("table",) and loaded.score(tmp.states).shape == (3,)


def _edit_config(model, edit):
    path = model / "config.json"
    payload = json.loads(path.read_text())
    edit(payload["config"])
    path.write_text(json.dumps(payload))


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda c: c.pop("encoder"), "no key 'encoder'"),
        (lambda c: c["encoder"].update(out_dim="x"), "not a SIRL model description"),
        (lambda c: c["person"].update(features=["spoon"]), "unknown feature 'spoon'"),
        (lambda c: c["person"].update(weights=[1.0, 2.0]), "2 weights for 1 features"),
    ],
    ids=["no-encoder", "bad-size", "unknown-feature", "weights"],
)
def test_model_config_that_is_not_a_sirl_model_is_malformed(model, edit, problem):
    _edit_config(model, edit)
    with pytest.raises(MalformedFile, match=problem) as err:
        SirlModel.load(model)
    assert err.value.path == model / "config.json"


def test_model_weights_that_do_not_fit_the_config_are_malformed(model):
    _edit_config(model, lambda c: c["encoder"].update(out_dim=7))
    with pytest.raises(MalformedFile, match="size mismatch") as err:
        SirlModel.load(model)
    assert err.value.path == model / "model.safetensors"


def test_model_with_nan_weights_is_malformed(model):
    tensors = load_file(str(model / "model.safetensors"))
    tensors["reward.theta"] = torch.full_like(tensors["reward.theta"], float("nan"))
    save_file(tensors, str(model / "model.safetensors"))
    with pytest.raises(MalformedFile, match="NaN or infinite weights"):
        SirlModel.load(model)


def test_model_without_weights_or_reward_is_malformed(model):
    tensors = load_file(str(model / "model.safetensors"))
    del tensors["reward.theta"]
    save_file(tensors, str(model / "model.safetensors"))
    with pytest.raises(MalformedFile, match="lacks the reward weights"):
        SirlModel.load(model)
    (model / "model.safetensors").unlink()
    with pytest.raises(MalformedFile, match="missing"):
        SirlModel.load(model)


def test_model_config_not_utf8_names_the_line(model, capsys):
    path = model / "config.json"
    lines = path.read_bytes().split(b"\n")
    lines[2] = b"\xff" + lines[2]
    path.write_bytes(b"\n".join(lines))
    line = _refused(capsys, ["robotics", "sirl", "evaluate", "--model", str(model)])
    assert "config.json:3:" in line


# ----------------------------------------------------------------- strict JSON, --out


def test_r2_spurious_is_none_for_a_person_who_cares_about_everything(model, tiny):
    loaded = SirlModel.load(model)
    loaded.person = SimulatedPerson("table,laptop,person,coffee,speed")
    report = evaluate_model(loaded, tiny, pairs=10)
    assert report["r2_spurious"] is None and isinstance(report["r2_cared"], float)


def test_every_output_folder_is_the_checked_out_option():
    for name, command in group.commands.items():
        for param in command.params:
            if param.name == "out":
                assert param.callback is not None and param.callback.__name__ == "_check_out", name


def test_unwritable_out_is_refused_before_work(tmp_path, capsys, monkeypatch):
    import rl_shared.cli.options as options

    monkeypatch.setattr(options.os, "access", lambda path, mode: False)  # root ignores chmod
    line = _refused(capsys, ["robotics", "sirl", "render", "--out", str(tmp_path / "o")])
    assert "is not a writable folder" in line and not (tmp_path / "o").exists()
