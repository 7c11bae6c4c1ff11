"""Grounded training checkpoints, the saved model and `rl vision grounded train|evaluate|compare|encode`."""

import json
import shutil

import numpy as np
import pytest
import torch

from rl_shared.cli.main import main
from rl_shared.errors import BadInput, ModelNotFound
from rl_shared.runtime import seed_everything
from rl_vision.grounded.data import make_caption_data
from rl_vision.grounded.evaluation import encode_sentences
from rl_vision.grounded.model import GroundedConfig, GroundedModel, load_grounded, save_grounded
from rl_vision.grounded.train import train_autoencoder, train_grounded

TINY = {
    "batch_size": 4,
    "num_scenes": 6,
    "size": 32,
    "hidden": 8,
    "depth": 3,
    "encoder": "resnet18",
}
SENTENCES = ["a red car on the road.", "Two trees next to a white building!", "x"]


@pytest.fixture(scope="module")
def data():
    return make_caption_data(range(6), 32, 2)


@pytest.mark.parametrize("trainer", [train_grounded, train_autoencoder])
def test_resume_after_two_steps_equals_four_steps(trainer, data, tmp_path):
    cfg = GroundedConfig(steps=4, checkpoint_every=2, **TINY)
    straight = trainer(cfg, data, out_dir=tmp_path)
    # a run stopped after step 2: drop what was written later
    shutil.rmtree(tmp_path / "checkpoints" / "step-000004")
    shutil.rmtree(tmp_path / "model", ignore_errors=True)
    resumed = trainer(cfg, data, out_dir=tmp_path, resume=True)
    for (k, a), b in zip(straight.state_dict().items(), resumed.state_dict().values()):
        torch.testing.assert_close(a, b, rtol=0, atol=0, msg=k)


def test_resume_refuses_another_configuration(data, tmp_path):
    train_grounded(GroundedConfig(steps=1, **TINY), data, out_dir=tmp_path)
    with pytest.raises(BadInput, match="another configuration"):
        train_grounded(GroundedConfig(steps=1, **{**TINY, "hidden": 16}), data, out_dir=tmp_path, resume=True)  # fmt: skip


def test_save_load_round_trip_gives_identical_embeddings(data, tmp_path):
    cfg = GroundedConfig(steps=2, **TINY)
    model = train_grounded(cfg, data, out_dir=tmp_path)
    loaded, loaded_cfg = load_grounded(tmp_path)
    assert loaded_cfg == cfg and not loaded.training
    a = encode_sentences(model.sentences, SENTENCES)
    b = encode_sentences(loaded.sentences, SENTENCES, vocab=loaded.vocab)
    assert torch.equal(a, b)
    with torch.no_grad():
        assert torch.equal(model.images(data.images[:2]), loaded.images(data.images[:2]))
    meta = json.loads((tmp_path / "model" / "config.json").read_text())
    assert meta["kind"] == "vision.grounded"
    assert meta["config"]["dim"] == 16 and meta["config"]["grounded"]["hidden"] == 8
    with pytest.raises(ModelNotFound, match="holds no trained grounded model"):
        load_grounded(tmp_path / "nothing")


def test_cli_compare_resume_and_encode(tmp_path, capsys):
    run = tmp_path / "run"
    argv = ["vision", "grounded", "compare", "--steps", "2", "--num-scenes", "8", "--test-scenes",
            "10", "--size", "32", "--no-sts", "--out", str(run), "--json"]  # fmt: skip
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert (run / "model" / "model.safetensors").is_file()
    assert list((run / "autoencoder" / "checkpoints").glob("step-*"))
    assert json.loads((run / "metrics.json").read_text()) == first
    assert main(argv) == 0  # resumes by default: nothing left to train, same metrics
    assert json.loads(capsys.readouterr().out) == first
    sentences = tmp_path / "s.txt"
    sentences.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    out = tmp_path / "emb"
    argv = ["vision", "grounded", "encode", "--model", str(run), "--data", str(sentences),
            "--out", str(out), "--json"]  # fmt: skip
    assert main(argv) == 0
    found = json.loads(capsys.readouterr().out)
    assert found == {"sentences": 3, "dim": 256, "output": str(out / "embeddings.npy")}
    emb = np.load(out / "embeddings.npy")
    model, _ = load_grounded(run / "model")
    expected = encode_sentences(model.sentences, SENTENCES).numpy()
    assert emb.shape == (3, 256) and emb.dtype == np.float32
    np.testing.assert_array_equal(emb, expected)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, rtol=1e-5)


def test_cli_train_then_evaluate_on_sts_pairs(tmp_path, capsys):
    run = tmp_path / "run"
    argv = ["vision", "grounded", "train", "--steps", "2", "--num-scenes", "8", "--size", "32",
            "--out", str(run), "--json"]  # fmt: skip
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["model"] == str(run / "model") and summary["device"] == "cpu"
    assert list((run / "checkpoints").glob("step-*"))
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("a red car\ta red car\t5.0\na tree\ta house\t1.0\nsky\tthe sky\t4.0\n")
    argv = ["vision", "grounded", "evaluate", "--model", str(run), "--data", str(pairs),
            "--test-scenes", "10", "--json"]  # fmt: skip
    assert main(argv) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert {"c2i.r@1", "i2c.r@10", "c2c.r@5", "sts_spearman", "sts_pearson"} <= set(metrics)
    assert -1 <= metrics["sts_spearman"] <= 1
    # --no-resume starts over: the same seed gives the same model again
    before = load_grounded(run)[0].state_dict()
    argv = ["vision", "grounded", "train", "--steps", "2", "--num-scenes", "8", "--size", "32",
            "--out", str(run), "--no-resume", "--json"]  # fmt: skip
    assert main(argv) == 0
    capsys.readouterr()
    after = load_grounded(run)[0].state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


@pytest.fixture
def model_dir(tmp_path):
    cfg = GroundedConfig(hidden=8, depth=3)
    seed_everything(0)
    return save_grounded(GroundedModel(cfg), cfg, tmp_path / "run" / "model").parent


@pytest.mark.parametrize(
    "model, text, message",
    [
        ("{tmp}/none", "a car\n", "holds no trained grounded model"),
        ("{model}", None, "does not exist"),
        ("{model}", "a car\n\na tree\n", "s.txt:2: blank line"),
        ("{model}", "", "s.txt: the file is empty"),
        ("{model}", b"\xff\xfe car", "s.txt:1: byte 0xff at column 1 is not UTF-8"),
    ],
)
def test_encode_errors_exit_2_with_one_line(model, text, message, model_dir, tmp_path, capsys):
    src = tmp_path / "s.txt"
    if isinstance(text, bytes):
        src.write_bytes(text)
    elif text is not None:
        src.write_text(text, encoding="utf-8")
    model = model.replace("{tmp}", str(tmp_path)).replace("{model}", str(model_dir))
    argv = ["vision", "grounded", "encode", "--model", model, "--data", str(src), "--out", str(tmp_path / "emb")]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err, err


def test_grounded_run_folder_errors(tmp_path, capsys):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    (tmp_path / "file").write_text("mine")
    for argv, message in [
        (["compare", "--no-sts", "--out", str(tmp_path / "other")], "is not a grounded run folder"),
        (["train", "--out", str(tmp_path / "other")], "is not a grounded run folder"),
        (["train", "--out", str(tmp_path / "file")], "is a file"),
    ]:
        with pytest.raises(SystemExit) as exit_info:
            main(["vision", "grounded", *argv, "--steps", "1"])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err.strip()
        assert message in err and "\n" not in err, err
