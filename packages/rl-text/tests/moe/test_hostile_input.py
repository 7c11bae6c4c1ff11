"""Hostile input to ``rl text moe``: broken expert-model folders given to ``--model``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import rl_text.moe.cli  # noqa: F401  (registers moe-model)
from rl_shared.errors import MalformedFile
from rl_shared.formats import get_format
from rl_text.moe.model import MOE_CONFIG, is_moe_folder, load_moe


@pytest.fixture(scope="module")
def moe_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return get_format("moe-model").write_sample(tmp_path_factory.mktemp("moe"))


def _copy(folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(folder, tmp_path / "model"))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from rl_shared.cli.main import main

    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_moe_sample_is_detected_and_loads(moe_model: Path) -> None:
    assert is_moe_folder(moe_model) and load_moe(moe_model)[0].domains == ["news", "forum"]


def test_moe_config_not_utf8_names_the_line(moe_model: Path, tmp_path: Path) -> None:
    model = _copy(moe_model, tmp_path)
    text = (model / MOE_CONFIG).read_bytes().replace(b'"news"', b'"n\xe9ws"')
    (model / MOE_CONFIG).write_bytes(text)
    with pytest.raises(MalformedFile, match=r"moe_config.json:3: byte 0xe9") as err:
        load_moe(model)
    assert err.value.line == 3


def test_moe_config_made_a_folder_is_still_an_moe_model_and_named(moe_model, tmp_path) -> None:
    model = _copy(moe_model, tmp_path)
    (model / MOE_CONFIG).unlink()
    (model / MOE_CONFIG).mkdir()
    assert is_moe_folder(model)
    with pytest.raises(MalformedFile, match=r"moe_config.json: is a folder"):
        load_moe(model)


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({"domains": [], "layers": [0]}, "'domains' must be a non-empty list"),
        ({"domains": ["news"], "layers": ["1"]}, "'layers' must be a list of layer indices"),
        ({"domains": ["news"], "layers": [7]}, r"'layers' \[7\] are not all among the 2 layers"),
        ({"domains": ["a b"], "layers": [0]}, "without '<', '>' or spaces"),
        ([1, 2], "'domains' must be a non-empty list"),
    ],
)
def test_moe_config_with_bad_values_is_refused(moe_model, tmp_path, config, problem) -> None:
    model = _copy(moe_model, tmp_path)
    (model / MOE_CONFIG).write_text(json.dumps(config))
    with pytest.raises(MalformedFile, match=problem):
        load_moe(model)


def test_moe_modules_json_broken_names_it(moe_model: Path, tmp_path: Path) -> None:
    model = _copy(moe_model, tmp_path)
    (model / "modules.json").write_text('[\n  {"idx": 0,\n')
    with pytest.raises(MalformedFile, match=r"modules.json:3: not JSON"):
        is_moe_folder(model)


def test_moe_evaluate_with_a_broken_transformer_config_exits_2(
    moe_model: Path, tmp_path: Path, capsys
) -> None:
    model = _copy(moe_model, tmp_path)
    (model / "config.json").write_bytes(b'{\n  "hidden_size": 16,\n  "x": \xff\n}')
    code, out, err = _run(["text", "moe", "evaluate", "--model", str(model), "--json"], capsys)
    errors = [line for line in err.splitlines() if "error:" in line]
    assert code == 2 and out == "" and "Traceback" not in err, err
    assert len(errors) == 1 and "config.json:3" in errors[0]


def test_moe_weights_that_do_not_load_are_named(moe_model: Path, tmp_path: Path) -> None:
    model = _copy(moe_model, tmp_path)
    (model / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}")
    with pytest.raises(Exception, match=r"model.safetensors") as err:
        load_moe(model)
    from rl_shared.errors import RLError

    assert isinstance(err.value, RLError)
