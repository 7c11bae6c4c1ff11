from __future__ import annotations

import shutil

import pytest
import torch
from sentence_transformers import SentenceTransformer

from rl_shared.sts import StsPairs
from rl_text.matryoshka2d.train import train_sts


@pytest.fixture
def pairs(sts_rows) -> StsPairs:
    rows = sts_rows * 2
    return StsPairs([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def _weights(path):
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_resume_reaches_the_uninterrupted_result(tiny_model_dir, pairs, tmp_path) -> None:
    kwargs = dict(
        loss="ours",
        steps=4,
        batch_size=4,
        save_steps=2,
        seed=3,
        show_progress=False,
        dims=[32, 16, 8],
        learning_rate=1e-3,
    )
    full = train_sts(str(tiny_model_dir), pairs, tmp_path / "a", **kwargs)
    assert (full / "model.safetensors").is_file()
    # "interrupted" run: only the step-2 checkpoint survives
    (tmp_path / "b" / "checkpoints").mkdir(parents=True)
    shutil.copytree(
        tmp_path / "a" / "checkpoints" / "checkpoint-2",
        tmp_path / "b" / "checkpoints" / "checkpoint-2",
    )
    resumed = train_sts(str(tiny_model_dir), pairs, tmp_path / "b", resume=True, **kwargs)
    a, b = _weights(full), _weights(resumed)
    start = _weights(tiny_model_dir)
    assert any(not torch.equal(a[k], start[k]) for k in a)
    for key in a:
        torch.testing.assert_close(a[key], b[key], atol=1e-6, rtol=1e-5)
