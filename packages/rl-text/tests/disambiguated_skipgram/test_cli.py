from __future__ import annotations

import json

from click.testing import CliRunner

from rl_text.disambiguated_skipgram.cli import group as skipgram


def test_train_neighbours_induce(tmp_path) -> None:
    text = tmp_path / "t.txt"
    text.write_text(
        "\n".join(["the bank of the river", "money in the bank account", "the river flows"] * 10)
    )
    runner = CliRunner()
    res = runner.invoke(
        skipgram,
        [
            "train",
            "--data",
            str(text),
            "--out",
            str(tmp_path),
            "--dim",
            "8",
            "--senses",
            "2",
            "--epochs",
            "1",
            "--min-count",
            "2",
            "--sample",
            "0",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["vocabulary"] == 8
    res = runner.invoke(
        skipgram, ["neighbours", "--model", str(tmp_path / "model"), "bank", "-k", "3", "--json"]
    )
    out = json.loads(res.output)
    assert set(out["senses"]) == {"0", "1"} and all(len(v) == 3 for v in out["senses"].values())
    res = runner.invoke(
        skipgram, ["induce", "--model", str(tmp_path / "model"), "money in the bank", "--json"]
    )
    rows = json.loads(res.output)["words"]
    assert [r["word"] for r in rows] == ["money", "in", "the", "bank"]
    assert all(abs(sum(r["probs"]) - 1) < 1e-2 for r in rows)
