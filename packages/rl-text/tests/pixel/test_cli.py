from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner
from PIL import Image

from rl_text.pixel.cli import group


def test_render_writes_a_16px_strip(tmp_path) -> None:
    res = CliRunner().invoke(
        group,
        [
            "render",
            "A man plays a guitar.",
            "--out",
            str(tmp_path),
            "--perturb",
            "shuffle",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    img = Image.open(tmp_path / "render.png")
    assert img.size == (1024, 16) and info["out"] == str(tmp_path / "render.png")
    assert sorted(info["text"].split()) == sorted("A man plays a guitar.".split())


def test_unknown_perturbation_is_rejected(tmp_path) -> None:
    res = CliRunner().invoke(group, ["render", "x", "--out", str(tmp_path), "--perturb", "zap"])
    assert res.exit_code != 0 and "zap" in str(res.exception)


def test_train_on_a_sentence_file_then_encode(tmp_path) -> None:
    text = tmp_path / "s.txt"
    text.write_text("a man plays the guitar\na cat sits on the bed\nthe dog runs\n")
    runner = CliRunner()
    res = runner.invoke(
        group,
        ["train", "--data", str(text), "--out", str(tmp_path / "run"), "--steps", "1",
         "--batch-size", "2", "--device", "cpu", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    model = json.loads(res.stdout)["model"]
    assert model == str(tmp_path / "run" / "model")
    res = runner.invoke(
        group, ["encode", "--model", model, "--data", str(text), "--out", str(tmp_path), "--json"]
    )
    assert res.exit_code == 0, res.output
    emb = np.load(tmp_path / "embeddings.npy")
    assert emb.shape == (3, 128) and np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-5)
