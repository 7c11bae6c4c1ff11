import json

import pytest

from rl_shared.cli.main import main


def _json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_generate_train_evaluate_round_trip(tmp_path, capsys):
    data = tmp_path / "data"
    gen = _json(capsys, ["graph", "l2r-gnn", "generate", "--out", str(data), "--num-graphs", "30",
                         "--bias", "0.7"])  # fmt: skip
    assert gen["num_graphs"] == 30 and gen["measured_bias"] == pytest.approx(0.7)
    out = tmp_path / "run"
    run = _json(capsys, ["graph", "l2r-gnn", "train", "--data", str(data), "--out", str(out),
                         "--epochs", "1", "--device", "cpu"])  # fmt: skip
    assert run["metrics"]["train_bias"] == pytest.approx(0.7)
    assert (out / "model" / "config.json").is_file()
    assert json.loads((out / "metrics.json").read_text())["method"] == "l2r"
    scored = _json(capsys, ["graph", "l2r-gnn", "evaluate", "--model", str(out / "model"),
                            "--data", str(data / "spurious-motif.npz")])  # fmt: skip
    assert scored["metrics"]["test_accuracy"] == pytest.approx(run["metrics"]["train_accuracy"])


def test_train_on_spurious_motif(tmp_path, capsys):
    argv = ["graph", "l2r-gnn", "train", "--data", "spurious-motif", "--bias", "0.7",
            "--no-reweight", "--num-train", "30", "--num-test", "30", "--epochs", "1",
            "--out", str(tmp_path)]  # fmt: skip
    metrics = _json(capsys, argv)["metrics"]
    assert metrics["train_bias"] == pytest.approx(0.7)
    assert {"test_accuracy", "dependence.uniform", "dependence.weighted"} <= set(metrics)
    again = _json(capsys, ["graph", "l2r-gnn", "evaluate", "--model", str(tmp_path / "model"),
                           "--data", "spurious-motif", "--num-test", "30"])  # fmt: skip
    assert again["metrics"]["test_accuracy"] == pytest.approx(metrics["test_accuracy"])


def test_train_and_evaluate_on_a_molecule_csv(tmp_path, capsys):
    smiles = ["CCO", "CCN", "c1ccccc1", "c1ccccc1O", "CCCl", "CC=O", "CCCC", "CCCCN", "C1CC1",
              "C1CCC1O", "c1ccncc1", "CC(C)O"]  # fmt: skip
    csv = tmp_path / "mols.csv"
    csv.write_text("smiles,label\n" + "".join(f"{s},{i % 2}\n" for i, s in enumerate(smiles * 2)))
    out = tmp_path / "run"
    run = _json(capsys, ["graph", "l2r-gnn", "train", "--data", str(csv), "--split", "size",
                         "--epochs", "1", "--out", str(out)])  # fmt: skip
    assert run["metrics"]["train_size"] + run["metrics"]["test_size"] <= 24
    scored = _json(capsys, ["graph", "l2r-gnn", "evaluate", "--model", str(out / "model"),
                            "--data", str(csv)])  # fmt: skip
    assert scored["metrics"].keys() == {"valid_roc_auc", "test_roc_auc"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--data", "nosuch"], "error: --data 'nosuch' is not spurious-motif"),
        (["train", "--data", "moleculenet-classification"], "needs a set"),
        (["evaluate", "--model", "nowhere", "--data", "spurious-motif"], "error: "),
        (["train", "--device", "cpu", "--precision", "fp16"], "--precision fp16 needs a CUDA"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", "l2r-gnn", *argv, "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_missing_data_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", "l2r-gnn", "train", "--data", "bace", "--epochs", "1", "--out",
              str(tmp_path / "out")])  # fmt: skip
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert (
        err.startswith("error: dataset 'moleculenet-classification' not found") and "\n" not in err
    )


def test_fp16_evaluation_on_the_cpu_exits_2_with_one_line(tmp_path, capsys):
    argv = ["graph", "l2r-gnn", "evaluate", "--model", str(tmp_path), "--data", "spurious-motif",
            "--device", "cpu", "--precision", "fp16"]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "--precision fp16 needs a CUDA" in err and "\n" not in err
