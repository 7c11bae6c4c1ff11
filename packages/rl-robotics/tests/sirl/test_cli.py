import json

import numpy as np
import pytest

from rl_robotics.sirl.cli import FEATURE_NAMES
from rl_robotics.sirl.features import FEATURES
from rl_shared.cli.main import main


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_feature_names_in_help_match_the_features():
    assert FEATURE_NAMES == ", ".join(FEATURES)


def test_compare_json(capsys):
    argv = ["robotics", "sirl", "compare", "--queries", "6", "--person", "table", "--seeds", "2"]
    argv += ["--preferences", "5", "--pool", "12", "--test", "6", "--steps", "2", "--json"]
    assert main(argv) == 0
    out = _json(capsys)
    assert out["person"] == ["table"] and set(out["methods"]) >= {"sirl", "task_input", "oracle"}
    assert out["methods"]["oracle"]["accuracy_std"] >= 0.0


def test_train_then_evaluate(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["robotics", "sirl", "train", "--out", str(out), "--person", "laptop", "--queries", "20"]
    argv += ["--preferences", "8", "--pool", "20", "--steps", "5", "--device", "cpu", "--json"]
    assert main(argv) == 0
    trained = _json(capsys)
    assert trained["model"] == str(out / "model") and trained["queries"] == 20
    assert 0.0 <= trained["triplet_agreement"] <= 1.0
    assert {"config.json", "model.safetensors", "README.md"} <= {
        p.name for p in (out / "model").iterdir()
    }
    argv = ["robotics", "sirl", "evaluate", "--model", str(out / "model"), "--test", "6"]
    assert main([*argv, "--pairs", "30", "--json"]) == 0
    report = _json(capsys)
    assert report["person"] == ["laptop"] and 0.0 <= report["accuracy"] <= 1.0
    assert set(report["r2"]) == set(FEATURES) and report["trajectories"] == 6


def test_generate_then_render_a_file(tmp_path, capsys):
    argv = ["robotics", "sirl", "generate", "--data", "moved", "--out", str(tmp_path / "g")]
    assert main([*argv, "--trajectories", "3", "--horizon", "4", "--json"]) == 0
    made = _json(capsys)
    with np.load(made["out"]) as archive:
        assert archive["states"].shape == (3, 4, 23)
    argv = ["robotics", "sirl", "render", "--out", str(tmp_path / "r"), "--data", made["out"]]
    assert main([*argv, "--trajectories", "2", "--json"]) == 0
    shown = _json(capsys)
    assert shown["trajectories"] == 2
    assert (tmp_path / "r" / "scene.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["robotics", "sirl", "compare", "--person", "laptop,cup"],
        ["robotics", "sirl", "compare", "--queries", "0"],
        ["robotics", "sirl", "train", "--out", "{tmp}/o", "--steps", "-1"],
        ["robotics", "sirl", "train", "--out", "{tmp}/o", "--data", "{tmp}/none.npz"],
        ["robotics", "sirl", "train", "--out", "{tmp}/o", "--device", "tpu"],
        ["robotics", "sirl", "evaluate", "--model", "{tmp}/nomodel"],
        ["robotics", "sirl", "generate", "--out", "{tmp}/o", "--data", "kitchen"],
        ["robotics", "sirl", "render", "--out", "{tmp}/o", "--data", "trajectories.csv"],
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert exit_info.value.code == 2
    err = [
        line
        for line in capsys.readouterr().err.strip().splitlines()
        if "pybullet build" not in line
    ]
    assert len(err) == 1 and err[0].startswith("error: "), err
