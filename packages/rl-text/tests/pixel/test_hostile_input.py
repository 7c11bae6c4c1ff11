"""Hostile input to ``rl text pixel``: one clean error naming file and line, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rl_text.pixel.formats  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.errors import MalformedFile
from rl_shared.formats import get_format
from rl_text.pixel.model import PixelEncoder


def _rl(argv: list[str], capsys) -> tuple[int, str, list[str]]:
    try:
        main(argv)
        code = 0
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if "error:" in line]
    return code, captured.out, errors


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return get_format("pixel-model").write_sample(tmp_path_factory.mktemp("pixel"))


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_render_to_an_unwritable_out_is_a_usage_error(capsys):
    code, _, err = _rl(["text", "pixel", "render", "hello", "--out", "/proc/rl-no-such"], capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "--out" in err[0]


def test_sentences_not_utf8_names_the_line(model, tmp_path, capsys):
    data = tmp_path / "lines.txt"
    data.write_bytes(b"A man plays.\n\nA caf\xe9 opens.\n")
    out = tmp_path / "o"
    argv = [
        "text",
        "pixel",
        "encode",
        "--model",
        str(model),
        "--data",
        str(data),
        "--out",
        str(out),
    ]
    code, _, err = _rl(argv, capsys)
    assert code == 2 and len(err) == 1 and "lines.txt:3" in err[0] and not out.exists()


def test_pairs_name_the_physical_line_past_blank_lines(tmp_path, capsys):
    data = tmp_path / "pairs.tsv"
    data.write_text("A man plays.\tA person plays.\n\n\nA cat only\n")
    out = tmp_path / "o"
    argv = ["text", "pixel", "train", "--stage", "entailment", "--data", str(data)]
    code, _, err = _rl([*argv, "--out", str(out)], capsys)
    assert code == 2 and len(err) == 1 and "pairs.tsv:4" in err[0] and not out.exists()


def test_unknown_perturbation_is_refused_before_the_model_is_read(tmp_path, capsys):
    data = get_format("pixel-sentences").write_sample(tmp_path)
    argv = ["text", "pixel", "train", "--data", str(data), "--model", str(tmp_path / "none")]
    code, _, err = _rl([*argv, "--perturb", "swap,smudge", "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and len(err) == 1 and "unknown perturbation 'smudge'" in err[0]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [("colour", 1, "unknown setting 'colour'"), ("layers", 0, "'layers' must be a positive")],
)
def test_model_config_with_wrong_settings_is_malformed(model, tmp_path, key, value, words):
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(model, copy)
    payload = json.loads((copy / "config.json").read_text())
    payload["config"][key] = value
    (copy / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=words) as err:
        PixelEncoder.load(copy)
    assert err.value.path.name == "config.json"


def test_undefined_correlation_is_null_in_json_with_a_warning(model, tmp_path, capsys):
    data = tmp_path / "same.csv"
    data.write_text("A cat sits.,A dog runs.,2.0\nA man plays.,A woman sings.,2.0\n")
    argv = ["text", "pixel", "evaluate", "--model", str(model), "--data", str(data), "--json"]
    code, out, _ = _rl(argv, capsys)
    assert code == 0 and json.loads(out)["spearman"] is None
