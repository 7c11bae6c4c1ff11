from __future__ import annotations

import json

import pytest
import torch
from click.testing import CliRunner

from rl_shared.errors import BadInput, ModelNotFound
from rl_text.cvib.cli import group
from rl_text.cvib.data import AbsaExample, load_seg
from rl_text.cvib.model import AspectSentimentModel, load_absa_model
from rl_text.cvib.train import AbsaTrainConfig, accuracy_macro_f1, evaluate_absa, train_absa

ROWS = [
    ("the $T$ is big and red", "dog", 1),
    ("the $T$ sleeps on a bed", "cat", 0),
    ("a man plays the $T$", "guitar", 1),
    ("the $T$ is slow", "car", -1),
    ("the child kicks the $T$", "ball", 0),
    ("the woman drives a $T$", "car", -1),
]


def _seg(tmp_path):
    path = tmp_path / "toy.seg"
    path.write_text("".join(f"{s}\n{a}\n{y}\n" for s, a, y in ROWS))
    return path


def test_accuracy_macro_f1_reference():
    assert accuracy_macro_f1([0, 0, 1, 2], [0, 1, 1, 1]) == {"accuracy": 0.5, "macro_f1": 0.3889}
    with pytest.raises(BadInput):
        accuracy_macro_f1([], [])


def test_aspect_representation_reads_the_aspect_segment(tiny_model):
    model = AspectSentimentModel(tiny_model).eval()
    a = AbsaExample("the dog plays in the park", "dog", 2, 4)
    b = AbsaExample("the dog plays in the big park", "big park", 2, 21)
    _, rep = model([a, b])
    hidden = tiny_model[0].auto_model.config.hidden_size
    assert rep.shape == (2, 2 * hidden)
    assert not torch.allclose(rep[0, hidden:], rep[1, hidden:])
    with pytest.raises(BadInput, match="no VIB gates"):
        model([a], pruned=True)


def test_cvib_train_save_load_round_trip(tiny_model, tmp_path):
    data = load_seg(_seg(tmp_path))
    config = AbsaTrainConfig(method="cvib", steps=4, batch_size=4, lr=1e-3, seed=0)
    model = train_absa(tiny_model, data, config, out=tmp_path / "m")
    log = model.train_log
    assert {"ce", "ce_pruned", "contrastive", "kl"} <= set(log[0])
    assert all(entry["contrastive"] >= 0 for entry in log)
    assert (tmp_path / "m" / "model.safetensors").is_file()
    assert (tmp_path / "m" / "config.json").is_file()
    assert (tmp_path / "m" / "encoder" / "model.safetensors").is_file()
    loaded = load_absa_model(tmp_path / "m")
    assert loaded.gates is not None
    for pruned in (False, True):
        assert loaded.predict(data, pruned=pruned) == model.predict(data, pruned=pruned)
        assert evaluate_absa(loaded, data, pruned=pruned)["n"] == len(data)


def test_finetune_loss_decreases(tiny_model):
    # the tiny fixture's tokenizer maps words to [UNK]; make the label a function of length
    data = [AbsaExample("a " * k + "dog", "dog", k % 3, 2 * k) for k in range(1, 7)]
    config = AbsaTrainConfig(method="finetune", steps=40, batch_size=6, lr=3e-3, seed=0)
    model = train_absa(tiny_model, data, config)
    first = sum(e["ce"] for e in model.train_log[:5]) / 5
    last = sum(e["ce"] for e in model.train_log[-5:]) / 5
    assert last < 0.6 * first


def test_load_rejects_other_folders(tmp_path):
    with pytest.raises(ModelNotFound, match="cvib train"):
        load_absa_model(tmp_path)


def test_cli_train_and_evaluate(tiny_model_dir, tmp_path):
    seg = _seg(tmp_path)
    runner = CliRunner()
    out = tmp_path / "run"
    res = runner.invoke(
        group,
        ["train", "--data", str(seg), "--method", "cvib", "--model", str(tiny_model_dir),
         "--out", str(out), "--steps", "2", "--batch-size", "3", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["method"] == "cvib" and info["heads_total"] == 6
    assert info["model"] == str(out / "model")
    for network in ("original", "pruned"):
        res = runner.invoke(
            group,
            ["evaluate", "--model", str(out / "model"), "--data", str(seg), "--network", network,
             "--json"],
        )  # fmt: skip
        assert res.exit_code == 0, res.output
        result = json.loads(res.stdout)
        assert result["n"] == len(ROWS) and result["network"] == network
        assert 0 <= result["macro_f1"] <= 1 and 0 <= result["accuracy"] <= 1


def test_cli_bad_data_exits_2(tmp_path, capsys):
    from rl_shared.cli.main import main

    bad = tmp_path / "bad.seg"
    bad.write_text("no marker\nx\n1\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["text", "cvib", "evaluate", "--model", str(tmp_path), "--data", str(bad)])
    assert exit_info.value.code == 2
    assert "bad.seg:1" in capsys.readouterr().err
