"""Two gloo processes train Any2Seg's first step as one process would.

Reference: plain DDP keeps BatchNorm per process (no ``SyncBatchNorm``), so the statistics
of each process's rows differ from those of the whole batch; the reference is one process
running the same step on each rank's rows (``r::2``) separately, losses and gradients
averaged -- what DDP's gradient average computes. Tolerance: ``atol=1e-6, rtol=1e-5``
(summation order of the all-reduce).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from rl_shared.runtime import isolated
from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")


def _worker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("any2seg_distributed_worker", WORKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_processes_match_one_process_per_rank_rows(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    torchrun(WORKER, "dist", str(out), str(results), nproc=2)
    with isolated():  # the one-process reference, in this process
        _worker().ref(results, 2)
    for kind in ("early", "any2seg"):
        ranks = [torch.load(results / f"{kind}-rank{r}.pt") for r in range(2)]
        ref = torch.load(results / f"{kind}-ref.pt")
        mean_loss = (ranks[0]["loss"] + ranks[1]["loss"]) / 2
        assert torch.allclose(mean_loss, ref["loss"], atol=1e-6, rtol=1e-5), kind
        for rank in ranks:  # DDP leaves the averaged gradient on every rank
            assert rank["grads"].keys() == ref["grads"].keys()
            for name, grad in ref["grads"].items():
                assert torch.allclose(rank["grads"][name], grad, atol=1e-6, rtol=1e-5), (
                    kind,
                    name,
                )
        assert (out / kind / "model").is_dir()
    assert read_writes(results / "writes-rank0.jsonl")  # rank 0 wrote the models
    assert read_writes(results / "writes-rank1.jsonl") == []  # rank 1 wrote nothing
