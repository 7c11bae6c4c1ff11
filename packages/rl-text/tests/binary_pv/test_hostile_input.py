"""Hostile input to ``rl text binary-pv``: one clean error naming file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rl_text.binary_pv.formats  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.errors import MalformedFile
from rl_shared.formats import get_format
from rl_text.binary_pv.model import load_pv


def _rl(argv: list[str], capsys) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    return stop.value.code, capsys.readouterr().err.strip().splitlines()


def test_docs_file_not_utf8_names_the_line(tmp_path, capsys):
    docs = tmp_path / "docs.txt"
    docs.write_bytes(b"a cat sat\na dog sat\nna\xefve caf\xe9\n")
    code, err = _rl(
        ["text", "binary-pv", "train", "--data", str(docs), "--out", str(tmp_path / "o")], capsys
    )
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "docs.txt:3" in err[0]
    assert not (tmp_path / "o").exists()


def test_encode_refuses_broken_docs_before_loading_the_model(tmp_path, capsys):
    docs = tmp_path / "docs.txt"
    docs.write_bytes(b"")
    argv = ["text", "binary-pv", "encode", "--model", str(tmp_path / "none"), "--data", str(docs)]
    code, err = _rl([*argv, "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and len(err) == 1 and "docs.txt" in err[0] and "empty" in err[0]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("vocab", [], "'vocab' must be a non-empty list"),
        ("counts", [1], "'counts' must hold one positive count per word"),
        ("bits", 0, "'bits' must be a positive integer"),
        ("variant", "ternary", "'variant'"),
    ],
)
def test_model_config_with_wrong_settings_is_malformed(tmp_path, key, value, words):
    folder = get_format("binary-pv-model").write_sample(tmp_path)
    payload = json.loads((folder / "config.json").read_text())
    payload["config"][key] = value
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=words) as err:
        load_pv(folder)
    assert err.value.path.name == "config.json"


def test_model_sample_loads(tmp_path):
    model, corpus = load_pv(get_format("binary-pv-model").write_sample(tmp_path))
    assert model.bits == 8 and "mat" in corpus.vocab


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_unwritable_out_is_a_usage_error_not_a_traceback(tmp_path, capsys):
    docs = get_format("binary-pv-docs").write_sample(tmp_path)
    argv = ["text", "binary-pv", "train", "--data", str(docs), "--epochs", "1", "--min-count", "1"]
    code, err = _rl([*argv, "--json", "--out", "/proc/rl-no-such/out"], capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "--out" in err[0]
