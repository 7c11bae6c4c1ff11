"""Two gloo processes take each SIRL learner's first step as one process on the whole batch.

The learners have no BatchNorm, so the reference is one process on the combined batch: the
mean of the two processes' losses equals its loss (the triplet and Bradley–Terry losses
weight each process's mean by its share of 3 and 2 rows; the contrastive loss gathers
negatives across ranks), and DDP leaves its gradients on both processes. Tolerance:
``atol=1e-6, rtol=1e-5`` (summation order of the all-reduce). Only rank 0 writes the model
folder of ``rl robotics sirl train``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from rl_shared.runtime import isolated
from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")


def _worker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("sirl_distributed_worker", WORKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_processes_match_one_process_on_the_whole_batch(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    torchrun(WORKER, "dist", str(out), str(results), nproc=2)
    with isolated():
        ref = _worker().first_steps()
    ranks = [torch.load(results / f"rank{r}.pt") for r in range(2)]
    assert sorted(ref) == ["contrastive", "sirl", "task_input"]
    for name, one in ref.items():
        mean_loss = (ranks[0][name]["loss"] + ranks[1][name]["loss"]) / 2
        assert torch.allclose(mean_loss, one["loss"], atol=1e-6, rtol=1e-5), name
        for rank in ranks:
            assert len(rank[name]["grads"]) == len(one["grads"])
            for got, want in zip(rank[name]["grads"], one["grads"]):
                assert torch.allclose(got, want, atol=1e-6, rtol=1e-5), name
    assert (out / "model" / "config.json").is_file()
    assert read_writes(results / "writes-rank0.jsonl")
    # every process's --out option probes that OUT is writable (rl_shared.cli, removed at once)
    rank1 = [w for w in read_writes(results / "writes-rank1.jsonl") if ".rl-probe-" not in w[1]]
    assert rank1 == []
