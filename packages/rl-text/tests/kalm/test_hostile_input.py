"""Hostile input to ``rl text kalm train --data``: a pairs file that is not UTF-8 and others."""

from __future__ import annotations

from pathlib import Path

import pytest

import rl_text.kalm.cli  # noqa: F401  (registers kalm-pairs)
from rl_shared.formats import get_format


def _train(data: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from rl_shared.cli.main import main

    try:
        code = main(["text", "kalm", "train", "--data", str(data), "--out", str(out), "--json"])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    return code, capsys.readouterr().err


def _one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("error:") and "Traceback" not in err, err
    return errors[0]


def test_kalm_data_not_utf8_exits_2_naming_the_line(tmp_path: Path, capsys) -> None:
    """The regression: ``kalm train --data`` on a Latin-1 file ended in a UnicodeDecodeError."""
    data = tmp_path / "pairs.csv"
    data.write_bytes(b"anchor,positive\nq1,d1\nq2,caf\xe9\n")
    code, err = _train(data, tmp_path / "out", capsys)
    assert code == 2 and "pairs.csv:3: byte 0xe9" in _one_error(err)
    assert not (tmp_path / "out").exists()


def test_kalm_data_row_without_a_column_exits_2(tmp_path: Path, capsys) -> None:
    sample = get_format("kalm-pairs").write_sample(tmp_path)
    lines = sample.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]
    sample.write_text("\n".join(lines) + "\n")
    code, err = _train(sample, tmp_path / "out", capsys)
    assert code == 2 and "pairs.csv:3: 2 fields, expected 3" in _one_error(err)
    assert not (tmp_path / "out").exists()


def test_kalm_data_folder_and_empty_file_exit_2(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "pairs.csv"
    folder.mkdir()
    code, err = _train(folder, tmp_path / "out", capsys)
    assert code == 2 and "pairs.csv: is a folder" in _one_error(err)
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    code, err = _train(empty, tmp_path / "out", capsys)
    assert code == 2 and "empty.tsv: the file is empty" in _one_error(err)
    assert not (tmp_path / "out").exists()
