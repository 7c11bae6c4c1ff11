import json

import pytest

from rl_shared.cli.main import main


def test_spurious_motif_json(capsys):
    argv = ["graph", "spurious-motif", "--bias", "0.7", "--method", "l2r", "--seeds", "2"]
    assert main([*argv, "--num-train", "30", "--num-test", "30", "--epochs", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seeds"] == 2 and out["metrics"]["train_bias"] == pytest.approx(0.7)
    assert {"test_accuracy", "dependence.uniform", "dependence.weighted"} <= set(out["metrics"])


def test_ehr_logreg_json(capsys):
    argv = ["graph", "ehr", "--data", "synthetic", "--model", "logreg", "--num-admissions", "200"]
    assert main([*argv, "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)["metrics"]
    assert 0 < metrics["auprc"] <= 1 and 0 < metrics["prevalence"] < 1


def test_missing_data_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", "molecules", "--dataset", "bace", "--epochs", "1"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert (
        err.startswith("error: dataset 'moleculenet-classification' not found") and "\n" not in err
    )
