"""``torchrun`` with 2 gloo processes: the text classifiers' loops match one process.

CVIB (:func:`rl_text.cvib.train.absa_step_loss`, whose contrastive term gathers the
representations of both processes as in-batch negatives) and the BiGRU classifier with
low-rank or MHA attention (:func:`rl_text.lowrank_attention.train.classifier_step_loss`,
7 rows split 4 / 3 and weighted): the first-step loss (averaged over ranks) and the
DDP-averaged gradients equal those of one process on the combined batch. Tolerance:
``atol=1e-6``, ``rtol=1e-5`` (only padding widths and summation order differ). Only rank 0
writes under the commands' OUT folders (``rl text cvib train``, ``rl text lowrank-attention
train``, both run to the end in 2 processes).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
import torch
from sentence_transformers import SentenceTransformer

from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")
ATOL, RTOL = 1e-6, 1e-5


def _worker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("text_classifiers_distributed_worker", WORKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def two_processes(tiny_model_dir: Path, tmp_path_factory) -> tuple[Path, Path, Path]:
    """Run the worker in 2 processes once: (results folder, OUT folder, no-dropout model)."""
    root = tmp_path_factory.mktemp("text-classifiers-ddp")
    model = root / "model"
    SentenceTransformer(str(tiny_model_dir), device="cpu", local_files_only=True).save(str(model))
    config = json.loads((model / "config.json").read_text())
    config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    (model / "config.json").write_text(json.dumps(config))
    seg = root / "toy.seg"
    seg.write_text(
        "".join(f"{s[:at]}$T${s[at + len(a) :]}\n{a}\n{y - 1}\n" for s, a, y, at in _worker().ROWS)
    )
    results, out = root / "results", root / "out"  # OUT is made by rank 0 alone
    results.mkdir()
    env = {"HF_HUB_OFFLINE": "1", "CUDA_VISIBLE_DEVICES": ""}
    torchrun(WORKER, str(model), str(seg), str(results), str(out), nproc=2, timeout=300, env=env)
    return results, out, model


@pytest.mark.parametrize("loop", ["cvib", "lowrank", "mha"])
def test_first_step_matches_one_process_on_the_combined_batch(two_processes, loop):
    results, _, model = two_processes
    one = _worker().first_step(loop, str(model))
    assert one["world"] == 1
    ranks = [torch.load(results / f"{loop}-rank{rank}.pt") for rank in range(2)]
    assert all(r["world"] == 2 for r in ranks)
    assert ranks[0]["local_loss"] != ranks[1]["local_loss"]  # each process saw its own rows
    for two in ranks:
        assert two["loss"] == pytest.approx(one["loss"], abs=ATOL, rel=RTOL)
        assert sorted(two["grads"]) == sorted(one["grads"])
        for name, grad in one["grads"].items():
            assert torch.allclose(two["grads"][name], grad, atol=ATOL, rtol=RTOL), name


def test_only_rank_0_writes(two_processes):
    results, out, _ = two_processes
    for loop in ("cvib", "lowrank"):
        assert read_writes(results / f"writes-{loop}-rank1.jsonl") == []
        assert read_writes(results / f"writes-{loop}-rank0.jsonl") != []
        assert (out / loop / "model" / "config.json").is_file()
