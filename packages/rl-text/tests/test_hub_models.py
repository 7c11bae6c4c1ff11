"""``--model`` takes a Hugging Face Hub id: ``rl text eval-sts`` on a cached snapshot, offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rl_shared.models import resolve
from rl_shared.testing import hf_cache_with, hf_env

REPO = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def hf_home(tmp_path_factory):
    root = tmp_path_factory.mktemp("hf-home")
    hf_cache_with(resolve("minilm"), REPO, root)
    return root


@pytest.fixture
def pairs_csv(tmp_path, sts_rows):
    path = tmp_path / "pairs.csv"
    path.write_text("".join(f'"{a}","{b}",{score}\n' for a, b, score in sts_rows))
    return path


def _rl(args, hf_home):
    env = {**os.environ, **hf_env(hf_home), "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    cmd = [sys.executable, "-m", "rl_shared.cli.main", "text", "eval-sts", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def test_eval_sts_by_hub_id_scores_as_minilm(hf_home, pairs_csv):
    scores = {}
    for model in (REPO, "minilm"):
        done = _rl(["--model", model, "--data", str(pairs_csv), "--json"], hf_home)
        assert done.returncode == 0, done.stderr[-2000:]
        scores[model] = json.loads(done.stdout)["spearman"]
    assert scores[REPO] == scores["minilm"]


def test_eval_sts_with_an_uncached_hub_id_is_one_error_line(hf_home, pairs_csv):
    done = _rl(["--model", "org/not-cached", "--data", str(pairs_csv)], hf_home)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("error: model 'org/not-cached' is not in"), lines
    assert "HF_HUB_OFFLINE=1" in lines[0] and done.stdout == ""


def test_a_dse_teacher_by_hub_id_scores_as_its_folder(tmp_path):
    import numpy as np

    from rl_shared.sts import StsPairs
    from rl_shared.testing import using_hf_cache
    from rl_text.core.samples import save_tiny_cross_encoder
    from rl_text.dse.train import teacher_scores

    folder = save_tiny_cross_encoder(tmp_path / "teacher")
    hf_cache_with(folder, "org/tiny-cross-encoder", tmp_path / "hf")
    pairs = StsPairs(["a cat", "a man plays"], ["a dog", "a man plays a guitar"], [1.0, 4.0])
    with using_hf_cache(tmp_path / "hf"):
        by_id = teacher_scores("org/tiny-cross-encoder", pairs)
    np.testing.assert_allclose(by_id, teacher_scores(folder, pairs), rtol=1e-6)
