from __future__ import annotations

import json

from click.testing import CliRunner

from rl_text.lowrank_attention.cli import group

ROWS = [
    ("the $T$ is big and red", "dog", 1),
    ("the $T$ sleeps on a bed", "cat", 0),
    ("a man plays the $T$", "guitar", 1),
    ("the $T$ is slow", "car", -1),
    ("the child kicks the $T$", "ball", 0),
    ("the woman drives a $T$", "car", -1),
]


def test_train_save_evaluate_round_trip(tiny_model_dir, tmp_path) -> None:
    seg = tmp_path / "toy.seg"
    seg.write_text("".join(f"{s}\n{a}\n{y}\n" for s, a, y in ROWS))
    runner = CliRunner()
    res = runner.invoke(
        group,
        ["train", "--data", str(seg), "--out", str(tmp_path / "run"), "--model",
         str(tiny_model_dir), "--hidden", "8", "--heads", "2", "--rank", "4", "--epochs", "2",
         "--batch-size", "3", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["model"] == str(tmp_path / "run" / "model") and info["train"] == len(ROWS)
    res = runner.invoke(group, ["evaluate", "--model", info["model"], "--data", str(seg), "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert result["n"] == len(ROWS) and 0 <= result["accuracy"] <= 1
    assert result["sentences_per_s"] > 0
