import json

import pytest

from rl_shared.cli.main import main


def _json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("model", ["logreg", "vgnn"])
def test_train_then_evaluate_the_held_out_part(tmp_path, capsys, model):
    argv = ["graph", "vgnn", "train", "--data", "synthetic", "--model", model,
            "--num-admissions", "200", "--epochs", "1", "--out", str(tmp_path)]  # fmt: skip
    run = _json(capsys, argv)
    metrics = run["metrics"]
    assert 0 < metrics["auprc"] <= 1 and 0 < metrics["prevalence"] < 1
    assert (tmp_path / "model" / "model.safetensors").is_file()
    scored = _json(capsys, ["graph", "vgnn", "evaluate", "--model", str(tmp_path / "model"),
                            "--data", "synthetic"])  # fmt: skip
    assert scored["metrics"]["auprc"] == pytest.approx(metrics["auprc"], abs=1e-6)
    assert scored["metrics"]["scored"] == 50


def test_unknown_model_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", "vgnn", "train", "--model", "rf", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "valid EHR models" in capsys.readouterr().err


def test_mimic_demo_from_the_command_line(tmp_path, capsys):
    from rl_graph.vgnn.data import MIMIC_DEMO

    if not MIMIC_DEMO.is_present():
        pytest.skip("mimic-iii-demo is not in $RL_DATA_DIR")
    for data in ("mimic-iii-demo", str(MIMIC_DEMO.locate())):
        argv = ["graph", "vgnn", "train", "--data", data, "--model", "logreg", "--out",
                str(tmp_path)]  # fmt: skip
        assert _json(capsys, argv)["metrics"]["prevalence"] > 0


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_fp16_on_the_cpu_exits_2_with_one_line(tmp_path, capsys, command):
    argv = ["graph", "vgnn", command, "--device", "cpu", "--precision", "fp16"]
    argv += ["--out", str(tmp_path)] if command == "train" else ["--model", str(tmp_path)]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--data", "synthetic"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "--precision fp16 needs a CUDA" in err and "\n" not in err


def test_bf16_training_and_scoring(tmp_path, capsys):
    argv = ["graph", "vgnn", "train", "--data", "synthetic", "--num-admissions", "60",
            "--epochs", "1", "--precision", "bf16", "--out", str(tmp_path)]  # fmt: skip
    assert 0 <= _json(capsys, argv)["metrics"]["auprc"] <= 1
    scored = _json(capsys, ["graph", "vgnn", "evaluate", "--model", str(tmp_path / "model"),
                            "--data", "synthetic", "--precision", "bf16"])  # fmt: skip
    assert 0 <= scored["metrics"]["auroc"] <= 1
