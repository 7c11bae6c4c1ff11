from __future__ import annotations

import json

from click.testing import CliRunner

from rl_text.binary_pv.cli import group

DOCS = [
    "the cat sat on the mat",
    "a dog ran in the park",
    "the cat ate the fish",
    "a dog chased the ball",
]


def test_train_then_encode_writes_bit_strings(tmp_path) -> None:
    data = tmp_path / "docs.txt"
    data.write_text("\n".join(DOCS * 3) + "\n")
    runner = CliRunner()
    res = runner.invoke(
        group,
        ["train", "--data", str(data), "--out", str(tmp_path / "run"), "--bits", "12",
         "--epochs", "2", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["documents"] == 12 and info["model"] == str(tmp_path / "run" / "model")
    res = runner.invoke(
        group,
        ["encode", "--model", info["model"], "--data", str(data), "--out", str(tmp_path / "enc"),
         "--epochs", "2", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["bits"] == 12
    lines = (tmp_path / "enc" / "codes.txt").read_text().splitlines()
    assert len(lines) == 12 and all(len(x) == 12 and set(x) <= {"0", "1"} for x in lines)


def test_encode_with_a_bad_model_folder_is_one_sentence(tmp_path) -> None:
    (tmp_path / "in.txt").write_text("a cat\n")
    res = CliRunner().invoke(
        group,
        ["encode", "--model", str(tmp_path), "--data", str(tmp_path / "in.txt"), "--out",
         str(tmp_path / "o")],
    )  # fmt: skip
    assert res.exit_code != 0 and "not a saved model" in str(res.exception)
