"""Hostile input to `rl vision grounded`: refused with one `error:` line, exit 2, nothing written."""

import json
import time

import pytest
import torch
from safetensors.torch import load_file, save_file

from rl_shared.errors import BadInput, MalformedFile, ModelNotFound
from rl_shared.formats import get_format
from rl_shared.testing import refused
from rl_vision.cli import group as vision
from rl_vision.grounded import formats as _formats  # noqa: F401  (registers the samples)
from rl_vision.grounded.data import make_caption_data, read_sentences
from rl_vision.grounded.model import GroundedConfig, load_grounded
from rl_vision.grounded.train import train_grounded


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv)


def _sample(tmp_path, name):
    folder = tmp_path / f"sample-{name}"
    folder.mkdir()
    return get_format(name).write_sample(folder)


@pytest.fixture
def model(tmp_path):
    return _sample(tmp_path, "grounded-model")


# ----------------------------------------------------------------- sentences (encode --data)


def test_sentences_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(b"a red car\na tree \xff far away\n")
    with pytest.raises(MalformedFile, match="byte 0xff at column 8") as err:
        read_sentences(path)
    assert err.value.path == path and err.value.line == 2


def test_sentences_folder_or_missing_file_is_refused(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(MalformedFile, match="is a folder"):
        read_sentences(tmp_path / "dir.txt")
    with pytest.raises(BadInput, match="does not exist"):
        read_sentences(tmp_path / "none.txt")


def test_sentences_keep_their_text_and_drop_crlf(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(b"\xef\xbb\xbfa red car\r\nthe sky\r\n")
    assert read_sentences(path) == ["a red car", "the sky"]


def test_bad_sentences_are_refused_before_the_model_and_nothing_is_written(tmp_path, capsys):
    src = tmp_path / "s.txt"
    src.write_text("a car\n\na tree\n")
    out = tmp_path / "out"
    line = _refused(capsys, ["vision", "grounded", "encode", "--model", str(tmp_path / "none"), "--data", str(src), "--out", str(out)])  # fmt: skip
    assert "s.txt:2: blank line" in line and not out.exists()


# ----------------------------------------------------------------- STS pairs (evaluate --data)


@pytest.mark.parametrize(
    "name, text, where",
    [
        ("pairs.csv", "A cat.,A dog.,1.0\nA man.,A person.,nan\n", "pairs.csv:2:"),
        ("pairs.tsv", "A cat.\tA dog.\t1.0\nA man.\tA person.\n", "pairs.tsv:2:"),
        ("pairs.csv", "A cat.,A dog.,1.0\n\n\nA man.,A person.,inf\n", "pairs.csv:4:"),
    ],
    ids=["nan-score", "dropped-column", "blank-lines-counted"],
)
def test_bad_sts_file_is_refused_before_any_retrieval(model, tmp_path, capsys, name, text, where):
    path = tmp_path / name
    path.write_text(text)
    start = time.perf_counter()
    line = _refused(capsys, ["vision", "grounded", "evaluate", "--model", str(model), "--data", str(path)])  # fmt: skip
    assert where in line
    assert time.perf_counter() - start < 30  # the 200 default test scenes were not rendered


def test_bad_sts_file_is_refused_by_compare_before_training(tmp_path, capsys):
    path = tmp_path / "pairs.csv"
    path.write_bytes(b"A cat.,A dog.,1.0\n\xfe,x,2\n")
    out = tmp_path / "out"
    line = _refused(capsys, ["vision", "grounded", "compare", "--data", str(path), "--out", str(out)])  # fmt: skip
    assert "pairs.csv:2:" in line and not out.exists()


# ----------------------------------------------------------------- model folders


def _edit_config(model, edit):
    path = model / "config.json"
    payload = json.loads(path.read_text())
    edit(payload["config"])
    path.write_text(json.dumps(payload))


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda c: c.pop("vocab"), "no key 'vocab'"),
        (lambda c: c["grounded"].update(encoder="resnet19"), "unknown smp encoder 'resnet19'"),
        (lambda c: c["grounded"].update(hidden="8"), "hidden must be a positive integer"),
        (lambda c: c["vocab"].update(max_length="x"), "not a grounded model description"),
        (lambda c: c.update(grounded=[1, 2]), "not a grounded model description"),
    ],
    ids=["no-vocab", "encoder", "hidden", "max-length", "not-a-dict"],
)
def test_model_config_that_is_not_a_grounded_model_is_malformed(model, edit, problem):
    _edit_config(model, edit)
    with pytest.raises(MalformedFile, match=problem) as err:
        load_grounded(model)
    assert err.value.path == model / "config.json"


def test_model_with_nan_or_missing_weights_is_malformed(model):
    tensors = load_file(str(model / "model.safetensors"))
    key = next(k for k, v in tensors.items() if v.is_floating_point())
    tensors[key] = torch.full_like(tensors[key], float("nan"))
    save_file(tensors, str(model / "model.safetensors"))
    with pytest.raises(MalformedFile, match="NaN or infinite weights"):
        load_grounded(model)
    (model / "model.safetensors").unlink()
    with pytest.raises(MalformedFile, match=r"model.safetensors: missing"):
        load_grounded(model.parent)


def test_model_config_that_is_a_folder_or_a_model_path_that_is_a_file(model, tmp_path):
    (model / "config.json").unlink()
    (model / "config.json").mkdir()
    with pytest.raises(MalformedFile, match=r"config.json: is a folder"):
        load_grounded(model)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ModelNotFound, match="is a file"):
        load_grounded(tmp_path / "file")


def test_model_config_not_utf8_names_the_line(model, tmp_path, capsys):
    path = model / "config.json"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3] + b"\xff"
    path.write_bytes(b"\n".join(lines))
    src = _sample(tmp_path, "grounded-sentences")
    out = tmp_path / "out"
    line = _refused(capsys, ["vision", "grounded", "encode", "--model", str(model), "--data", str(src), "--out", str(out)])  # fmt: skip
    assert "config.json:4:" in line and not out.exists()


def test_corrupt_checkpoint_state_is_refused_naming_the_file(tmp_path):
    step = tmp_path / "checkpoints" / "step-000001"
    step.mkdir(parents=True)
    (step / "state.json").write_text("[1, 2")
    cfg = GroundedConfig(steps=2, batch_size=2, num_scenes=2, size=32, hidden=8, depth=3)
    with pytest.raises(MalformedFile, match=r"state.json:1: not JSON"):
        train_grounded(cfg, make_caption_data(range(2), 32, 2), out_dir=tmp_path, resume=True)


# ----------------------------------------------------------------- --out


def test_every_output_folder_of_rl_vision_is_the_checked_out_option():
    for paper in vision.commands.values():
        for name, command in paper.commands.items():
            for param in command.params:
                if param.name == "out":
                    assert param.callback.__name__ == "_check_out", name


@pytest.mark.parametrize(
    "argv",
    [
        ["vision", "grounded", "train"],
        ["vision", "grounded", "compare", "--no-sts"],
        ["vision", "any2seg", "scenes"],
        ["vision", "any2seg", "train"],
    ],
)
def test_unwritable_out_is_refused_before_work(tmp_path, capsys, monkeypatch, argv):
    import rl_shared.cli.options as options

    monkeypatch.setattr(options.os, "access", lambda path, mode: False)  # root ignores chmod
    line = _refused(capsys, [*argv, "--out", str(tmp_path / "o")])
    assert "is not a writable folder" in line and not (tmp_path / "o").exists()
