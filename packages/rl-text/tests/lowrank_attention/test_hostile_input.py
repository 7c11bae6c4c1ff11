"""Hostile input to ``rl text lowrank-attention``: one clean error naming file and line."""

from __future__ import annotations

import json

import pytest

import rl_text.lowrank_attention.formats  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.errors import MalformedFile
from rl_shared.formats import get_format
from rl_text.lowrank_attention.model import load_classifier


def _rl(argv: list[str], capsys) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    return stop.value.code, capsys.readouterr().err.strip().splitlines()


def test_evaluate_refuses_broken_data_before_loading_the_model(tmp_path, capsys):
    data = tmp_path / "bad.seg"
    data.write_bytes(b"The $T$ is good .\nfood\n1\n\xff $T$ .\nservice\n-1\n")
    argv = ["text", "lowrank-attention", "evaluate", "--model", str(tmp_path / "none")]
    code, err = _rl([*argv, "--data", str(data)], capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "bad.seg:4" in err[0]


def test_model_config_lacking_the_encoder_is_malformed(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    config = {"hidden": 4, "num_classes": 3, "attention": "lowrank", "num_heads": 2}
    (model / "config.json").write_text(
        json.dumps({"kind": "text.lowrank-attention", "format": 1, "config": config})
    )
    with pytest.raises(MalformedFile, match="lacks 'encoder'") as err:
        load_classifier(model)
    assert err.value.path.name == "config.json"


def test_model_config_with_an_unknown_setting_is_malformed(tmp_path):
    folder = get_format("lowrank-attention-model").write_sample(tmp_path)
    payload = json.loads((folder / "config.json").read_text())
    payload["config"]["colour"] = "blue"
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match="not a configuration of this classifier"):
        load_classifier(folder)


def test_model_sample_loads(tmp_path):
    classifier, config, tokenizer = load_classifier(
        get_format("lowrank-attention-model").write_sample(tmp_path)
    )
    assert config["attention"] == "lowrank" and tokenizer is not None
    assert not classifier.training
