import json as _json
import os
import stat

import pytest

from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import (
    atomic_dir,
    atomic_open,
    atomic_write_json,
    finite_float,
    iter_lines,
    read_json,
    read_text,
)


def test_failed_write_keeps_old_content_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("new half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_dir_replaces_whole_folder(tmp_path):
    folder = tmp_path / "ck"
    with atomic_dir(folder) as tmp:
        (tmp / "a").write_text("1")
    with atomic_dir(folder) as tmp:
        (tmp / "b").write_text("2")
    assert sorted(p.name for p in folder.iterdir()) == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck"]


def test_json_handles_numpy_and_torch_scalars(tmp_path):
    import json

    import numpy as np
    import torch

    atomic_write_json(tmp_path / "r.json", {"a": np.float32(0.5), "b": torch.tensor(2)})
    assert json.loads((tmp_path / "r.json").read_text()) == {"a": 0.5, "b": 2}


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)]
)
def test_written_files_and_folders_honour_the_umask(tmp_path, umask, file_mode, dir_mode):
    old = os.umask(umask)
    try:
        atomic_write_json(tmp_path / "result.json", {"a": 1})
        with atomic_dir(tmp_path / "model") as folder:
            (folder / "weights.bin").write_bytes(b"0")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "result.json").stat().st_mode) == file_mode
    assert stat.S_IMODE((tmp_path / "model").stat().st_mode) == dir_mode


def test_bytes_that_are_not_utf8_name_the_line_and_column(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_bytes('{"a": 1}\n{"b": "caf\u00e9"}\n{"c": "x\xff"}\n'.encode("latin-1"))
    with pytest.raises(MalformedFile) as err:
        read_text(path)
    assert (err.value.line, "0xe9 at column 11" in err.value.problem) == (2, True)
    with pytest.raises(MalformedFile) as streamed:
        list(iter_lines(path))
    assert streamed.value.line == 2 and str(path) in str(streamed.value)


def test_a_byte_order_mark_is_dropped_and_lines_keep_their_numbers(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_bytes(b"\xef\xbb\xbfs1,s2\nx,y\n\xff\n")
    with pytest.raises(MalformedFile) as err:
        read_text(path)
    assert err.value.line == 3
    lines = []
    with pytest.raises(MalformedFile):
        for line in iter_lines(path):
            lines.append(line)
    assert lines == ["s1,s2\n", "x,y\n"]


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_refused_unless_allowed(tmp_path, content):
    path = tmp_path / "queries.tsv"
    path.write_bytes(content)
    with pytest.raises(MalformedFile, match="the file is empty"):
        read_text(path)
    with pytest.raises(MalformedFile, match="the file is empty"):
        list(iter_lines(path))
    assert read_text(path, allow_empty=True) == content.decode()


def test_a_folder_or_nothing_where_a_file_should_be(tmp_path):
    with pytest.raises(MalformedFile, match="is a folder"):
        read_text(tmp_path)
    with pytest.raises(BadInput, match="no file at"):
        list(iter_lines(tmp_path / "missing.txt"))


def test_json_with_nan_or_a_syntax_error_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"lr": Infinity}')
    with pytest.raises(MalformedFile, match="Infinity is not a number JSON allows"):
        read_json(path)
    path.write_text('{\n  "dim": 8,\n  "lr": 0.1,,\n}')
    with pytest.raises(MalformedFile) as err:
        read_json(path)
    assert err.value.line == 3
    path.write_text(_json.dumps({"dim": 8}))
    assert read_json(path) == {"dim": 8}


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "NaN", "", "1,5", "one"])
def test_finite_float_refuses_what_is_not_a_finite_number(text):
    with pytest.raises(MalformedFile) as err:
        finite_float(text, path="qrels.tsv", line=7, field="relevance")
    assert str(err.value).startswith("qrels.tsv:7: relevance")
