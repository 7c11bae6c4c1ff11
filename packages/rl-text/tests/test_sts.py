from __future__ import annotations

from pathlib import Path

import pytest

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile
from rl_text.sts import load_sick, load_sts_pairs, load_stsb, parse_columns


def test_stsb_layout_crlf_quotes(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(
        b'A plane is taking off.,"An air plane, taking off.",5.000\r\nA b.,C d.,0.5\r\n'
    )
    pairs = load_sts_pairs(path)
    assert pairs.sentences1 == ["A plane is taking off.", "A b."]
    assert pairs.sentences2[0] == "An air plane, taking off."
    assert pairs.scores == [5.0, 0.5]


def test_tsv_with_header_and_named_columns(tmp_path: Path) -> None:
    path = tmp_path / "sick.txt"
    path.write_text(
        "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\r\n"
        '1\tA "quoted" man\tA man\t4.5\tNEUTRAL\r\n2\tX\tY\t1\tCONTRADICTION\r\n'
    )
    pairs = load_sts_pairs(path, "sentence_A,sentence_B,relatedness_score")
    assert pairs.sentences1 == ['A "quoted" man', "X"] and pairs.scores == [4.5, 1.0]
    with pytest.raises(MalformedFile, match=r"sick.txt:1: score 'relatedness_score'"):
        load_sts_pairs(path, "2,1,3")  # indices mean no header row


def test_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b,1.0\nc,d,high\n")
    with pytest.raises(MalformedFile, match=r"bad.csv:2: score 'high' is not a number"):
        load_sts_pairs(path)
    path.write_text("a,b,1.0\nc,d\n")
    with pytest.raises(MalformedFile, match=r"bad.csv:2: expected at least 3 columns"):
        load_sts_pairs(path)
    path.write_text("x,y,z\n")
    with pytest.raises(MalformedFile, match="no column 'score'"):
        load_sts_pairs(path, "x,y,score")
    with pytest.raises(BadInput, match="three"):
        parse_columns("a,b")
    with pytest.raises(BadInput, match="does not exist"):
        load_sts_pairs(tmp_path / "missing.csv")


def test_missing_dataset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFound, match="stsb"):
        load_stsb("test")


def test_real_files_when_present() -> None:
    try:
        test, sick = load_stsb("test"), load_sick("test")
    except DatasetNotFound:
        pytest.skip("shared STS data not present")
    assert len(test) == 1379 and len(load_stsb("train", "de")) == 5749
    assert len(sick) == 4927 and min(sick.scores) >= 1.0
