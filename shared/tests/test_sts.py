from __future__ import annotations

from pathlib import Path

import pytest

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile
from rl_shared.sts import (
    correlations,
    load_sick,
    load_sts_pairs,
    load_stsb,
    load_stsb_genre,
    parse_columns,
)


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
    with pytest.raises(MalformedFile, match=r"bad.csv:2: 2 columns, expected 3 as in line 1"):
        load_sts_pairs(path)
    path.write_text("a,b\nc,d\n")
    with pytest.raises(MalformedFile, match=r"bad.csv:1: 2 columns, expected at least 3"):
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


def test_bytes_that_are_not_utf8_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"a,b,1.0\nc\xe9,d,2.0\n")
    with pytest.raises(MalformedFile, match=r"latin1.csv:2: byte 0xe9 at column 2 is not UTF-8"):
        load_sts_pairs(path)


def test_correlations_match_scipy_and_stay_json() -> None:
    import numpy as np
    from scipy.stats import pearsonr, spearmanr

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=50), rng.normal(size=50)
    got = correlations(a, b)
    assert got["spearman"] == pytest.approx(spearmanr(a, b).statistic, abs=1e-12)
    assert got["pearson"] == pytest.approx(pearsonr(a, b).statistic, abs=1e-12)
    assert correlations([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) == {"spearman": None, "pearson": None}
    with pytest.raises(BadInput, match="finite"):
        correlations([1.0, float("nan")], [1.0, 2.0])
    with pytest.raises(BadInput, match="equally long"):
        correlations([1.0, 2.0], [1.0, 2.0, 3.0])


def test_stsb_genre_labels(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "sts" / "stsb-genre"
    folder.mkdir(parents=True)
    (folder / "stsb-genre.csv").write_text(
        "split,row,source,genre\ntrain,0,images,captions\ntest,3,news,news\n"
    )
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    assert load_stsb_genre() == {("train", 0): "captions", ("test", 3): "news"}
    (folder / "stsb-genre.csv").write_text("split,row,source,genre\ntrain,x,images,captions\n")
    with pytest.raises(MalformedFile, match=r"stsb-genre.csv:2: row 'x' is not an integer"):
        load_stsb_genre()


# ---------------------------------------------------------------- hostile input (issue 18)


def test_sts_file_not_utf8_names_the_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_bytes(b"s1\ts2\tscore\na\tb\t1.0\nc\td\xff\xfe\t2.0\n")
    with pytest.raises(MalformedFile, match=r"pairs.tsv:3: byte 0xff at column 4") as err:
        load_sts_pairs(path, "s1,s2,score")
    assert err.value.line == 3


def test_sts_row_with_another_column_count_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,1.0\nc,d,2.0,extra\n")
    with pytest.raises(MalformedFile, match=r"pairs.csv:2: 4 columns, expected 3 as in line 1"):
        load_sts_pairs(path)
    sick = tmp_path / "sick.tsv"
    sick.write_text("id\ts1\ts2\tscore\tlabel\n1\ta\tb\t4.0\tNEUTRAL\n2\tc\td\t3.0\n")
    with pytest.raises(MalformedFile, match=r"sick.tsv:3: 4 columns, expected 5 as in the header"):
        load_sts_pairs(sick, "s1,s2,score")


@pytest.mark.parametrize("score", ["nan", "inf", "-inf", "NaN"])
def test_sts_score_that_is_not_finite_is_refused(tmp_path: Path, score: str) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(f"a,b,1.0\n\nc,d,{score}\n")  # the blank line still counts
    with pytest.raises(MalformedFile, match=rf"pairs.csv:3: score '{score}' is not a finite"):
        load_sts_pairs(path)


def test_sts_named_column_missing_from_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("sentence_A\tsentence_B\tlabel\na\tb\t1\n")
    with pytest.raises(MalformedFile, match=r"pairs.tsv:1: the header has no column 'score'"):
        load_sts_pairs(path, "sentence_A,sentence_B,score")


def test_sts_empty_file_folder_and_header_only_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(MalformedFile, match=r"empty.csv: the file is empty"):
        load_sts_pairs(empty)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(MalformedFile, match=r"folder.csv: is a folder"):
        load_sts_pairs(folder)
    header = tmp_path / "header.tsv"
    header.write_text("s1\ts2\tscore\n")
    with pytest.raises(MalformedFile, match=r"header.tsv: no sentence pairs found"):
        load_sts_pairs(header, "s1,s2,score")


def test_sts_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(b"a,b,1.0\nc\x00,d,2.0\n")
    with pytest.raises(MalformedFile, match=r"pairs.csv:2: holds a NUL byte"):
        load_sts_pairs(path)


def test_sts_pairs_format_sample_loads_and_each_corruption_is_refused(tmp_path: Path) -> None:
    from rl_shared.formats import get_format

    fmt = get_format("sts-pairs")
    sample = fmt.write_sample(tmp_path)
    pairs = load_sts_pairs(sample)
    assert len(pairs) == 3 and pairs.sentences2[0] == "A man, playing a guitar."
    lines = sample.read_text().splitlines()
    sample.write_text("\n".join([lines[0], "A b.,C d.", lines[2]]) + "\n")
    with pytest.raises(MalformedFile, match=r"pairs.csv:2: 2 columns"):
        load_sts_pairs(sample)


def test_stsb_genre_row_without_a_cell_names_its_line(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "sts" / "stsb-genre"
    folder.mkdir(parents=True)
    (folder / "stsb-genre.csv").write_bytes(b"split,row,source,genre\ntrain,0,images\n")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    with pytest.raises(MalformedFile, match=r"stsb-genre.csv:2: the row does not have one cell"):
        load_stsb_genre()
    (folder / "stsb-genre.csv").write_bytes(b"split,row,source,genre\ntrain,0,im\xe9,news\n")
    with pytest.raises(MalformedFile, match=r"stsb-genre.csv:2: byte 0xe9"):
        load_stsb_genre()
