"""Two gloo processes take the grounded loops' first step as one process would.

The autoencoder's reference is one process on the combined batch (its loop, unchanged).
The grounded model gathers image and caption embeddings across ranks, so the hinge loss
sees the whole batch; its image encoder has BatchNorm, which plain DDP keeps per process,
so the reference is one process on the combined batch that encodes each rank's images
(its contiguous half) apart. Checked: the mean of the ranks' losses equals the reference
loss and both ranks hold the reference gradients, ``atol=1e-6, rtol=1e-5`` (summation
order of the all-reduce); only rank 0 writes checkpoints and the model.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from rl_shared.runtime import isolated
from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")


def _worker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("grounded_distributed_worker", WORKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_processes_match_one_process(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    torchrun(WORKER, "dist", str(out), str(results), nproc=2)
    with isolated():
        ref = _worker().reference(2)
    ranks = [torch.load(results / f"rank{r}.pt") for r in range(2)]
    for name in ("grounded", "autoencoder"):
        mean_loss = (ranks[0][name]["loss"] + ranks[1][name]["loss"]) / 2
        assert torch.allclose(mean_loss, ref[name]["loss"], atol=1e-6, rtol=1e-5), name
        for rank in ranks:
            assert rank[name]["grads"].keys() == ref[name]["grads"].keys()
            for key, want in ref[name]["grads"].items():
                assert torch.allclose(rank[name]["grads"][key], want, atol=1e-6, rtol=1e-5), (
                    name,
                    key,
                )
    assert (out / "grounded" / "model").is_dir()
    assert (out / "autoencoder" / "checkpoints").is_dir()
    assert read_writes(results / "writes-rank0.jsonl")
    assert read_writes(results / "writes-rank1.jsonl") == []
