"""``torchrun`` with 2 gloo processes: cross-rank negatives give the single-process first-step loss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sentence_transformers import SentenceTransformer

from rl_text.core.tasks import load_examples
from rl_text.kalm import KalmRecipe, train_kalm

ROWS = [
    ("a man plays the guitar", "a man plays a guitar"),
    ("a cat sits on the bed", "the cat sleeps on a bed"),
    ("the woman drives a red car", "a woman drives a car"),
    ("a child kicks the ball", "the child kicks a ball"),
    ("a dog runs in the park", "a dog runs in a park"),
    ("the big cat eats", "a big cat eats food"),
    ("the man eats food", "a man eats"),
    ("a small dog plays", "the small dog plays with a ball"),
]


@pytest.fixture
def no_dropout_model(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """The tiny model with dropout off, so every process computes the same function."""
    folder = tmp_path / "model"
    SentenceTransformer(str(tiny_model_dir), device="cpu", local_files_only=True).save(str(folder))
    config = json.loads((folder / "config.json").read_text())
    config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def first_loss(out: Path) -> float:
    """The mean training loss of a one-step run: the loss of its first (only) step."""
    log = json.loads((out / "train_log.json").read_text())
    return float(next(entry["train_loss"] for entry in log if "train_loss" in entry))


def test_two_processes_match_one_process_on_the_combined_batch(no_dropout_model, tmp_path):
    data = tmp_path / "pairs.tsv"
    data.write_text("anchor\tpositive\n" + "".join(f"{a}\t{p}\n" for a, p in ROWS))
    recipe = KalmRecipe(hard_negatives=0, mixed_negatives=0, focal_gamma=1.0, soup=1)
    train_kalm(
        str(no_dropout_model), load_examples(data), tmp_path / "one", recipe,
        steps=1, batch_size=8, shuffle=False, show_progress=False,
    )  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
        "-m", "rl_shared.cli.main", "text", "kalm", "train",
        "--model", str(no_dropout_model), "--data", str(data), "--out", str(tmp_path / "two"),
        "--steps", "1", "--batch-size", "4", "--no-shuffle", "--hard-negatives", "0",
        "--mix-negatives", "0", "--soup", "1", "--save-steps", "10",
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    one, two = first_loss(tmp_path / "one"), first_loss(tmp_path / "two")
    assert two == pytest.approx(one, abs=2e-4)
    # without cross-rank negatives each rank sees half the negatives: the loss is lower
    cmd[cmd.index(str(tmp_path / "two"))] = str(tmp_path / "local")
    done = subprocess.run(
        [*cmd, "--no-gather"], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert first_loss(tmp_path / "local") < one - 1e-3
