"""Hostile input to ``rl text 2dmse``: bad STS pair files, a model that is not one, constant
scores (``--json`` must stay strict JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rl_text.matryoshka2d.cli  # noqa: F401  (registers sts-pairs)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from rl_shared.cli.main import main

    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("error:") and "Traceback" not in err, err
    return errors[0]


def test_sts_csv_not_utf8_exits_2_naming_the_line(tmp_path: Path, capsys) -> None:
    """The regression: an STS CSV with Latin-1 bytes ended in a traceback."""
    data = tmp_path / "pairs.csv"
    data.write_bytes(b"a cat,a dog,1.0\nun caf\xe9,a cafe,4.0\n")
    code, _, err = _run(["text", "2dmse", "evaluate", "--data", str(data)], capsys)
    assert code == 2 and "pairs.csv:2: byte 0xe9 at column 7" in _one_error(err)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("a,b,1.0\nc,d\n", "pairs.csv:2: 2 columns, expected 3"),
        ("a,b,1.0\nc,d,nan\n", "pairs.csv:2: score 'nan' is not a finite number"),
        ("a,b,1.0\nc,d,inf\n", "pairs.csv:2: score 'inf' is not a finite number"),
    ],
)
def test_sts_train_bad_row_exits_2_and_leaves_no_out(tmp_path, capsys, content, named) -> None:
    data = tmp_path / "pairs.csv"
    data.write_text(content)
    out = tmp_path / "out"
    code, _, err = _run(["text", "2dmse", "train", "--data", str(data), "--out", str(out)], capsys)
    assert code == 2 and named in _one_error(err) and not out.exists()


def test_named_column_missing_exits_2(tmp_path: Path, capsys) -> None:
    data = tmp_path / "pairs.tsv"
    data.write_text("s1\ts2\tlabel\na\tb\t1\n")
    argv = ["text", "2dmse", "evaluate", "--data", str(data), "--columns", "s1,s2,score"]
    code, _, err = _run(argv, capsys)
    assert code == 2 and "pairs.tsv:1: the header has no column 'score'" in _one_error(err)


@pytest.mark.parametrize("kind", ["file", "empty-folder", "not-a-model"])
def test_model_not_a_model_folder_exits_2_before_out(tmp_path: Path, capsys, kind) -> None:
    model = tmp_path / "model"
    if kind == "file":
        model.write_text("x")
    else:
        model.mkdir()
        if kind == "not-a-model":
            (model / "notes.txt").write_text("hi")
    data = tmp_path / "pairs.csv"
    data.write_text("a cat,a dog,1.0\na man,a woman,3.0\n")
    out = tmp_path / "out"
    for argv in (
        ["text", "2dmse", "train", "--model", str(model), "--data", str(data), "--out", str(out)],
        ["text", "2dmse", "evaluate", "--model", str(model), "--data", str(data)],
    ):
        code, _, err = _run(argv, capsys)
        assert code == 2 and "model" in _one_error(err) and not out.exists()


def test_evaluate_constant_scores_json_is_null_with_a_warning(
    tiny_model_dir: Path, tmp_path: Path, capsys
) -> None:
    """The regression: constant gold scores printed NaN into ``--json``."""
    data = tmp_path / "const.csv"
    data.write_text("a cat sits,a dog runs,2.5\na man plays,the ball,2.5\na car,a bed,2.5\n")
    argv = ["text", "2dmse", "evaluate", "--model", str(tiny_model_dir), "--data", str(data)]
    code, out, err = _run([*argv, "--layers", "1,3", "--json"], capsys)
    assert code == 0, err
    grid = json.loads(out)["grid"]  # json.loads would take NaN; check the text too
    assert "NaN" not in out and [row["spearman"] for row in grid] == [None, None]
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "gold scores are 2.5" in warnings[0]
    code, out, err = _run(argv, capsys)
    assert code == 0 and "Spearman undefined" in out, err
