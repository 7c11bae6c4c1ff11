from __future__ import annotations

import json

from click.testing import CliRunner

from rl_text.binary_pv.cli import binary_pv

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
        binary_pv,
        [
            "train",
            "--input",
            str(data),
            "--out",
            str(tmp_path / "m"),
            "--bits",
            "12",
            "--epochs",
            "2",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["documents"] == 12
    res = runner.invoke(
        binary_pv,
        [
            "encode",
            "--model",
            str(tmp_path / "m"),
            "--input",
            str(data),
            "--output",
            str(tmp_path / "c.txt"),
            "--epochs",
            "2",
        ],
    )
    assert res.exit_code == 0, res.output
    lines = (tmp_path / "c.txt").read_text().splitlines()
    assert len(lines) == 12 and all(len(x) == 12 and set(x) <= {"0", "1"} for x in lines)


def test_encode_with_a_bad_model_folder_is_one_sentence(tmp_path) -> None:
    (tmp_path / "in.txt").write_text("a cat\n")
    res = CliRunner().invoke(
        binary_pv,
        [
            "encode",
            "--model",
            str(tmp_path),
            "--input",
            str(tmp_path / "in.txt"),
            "--output",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code != 0 and "not a saved binary PV model" in str(res.exception)
