"""Two gloo processes of ``train_smiles_model`` equal one process on the combined batch.

cMIM's candidate codes and InfoNCE's negatives are gathered across ranks and every rank
draws the global batch's noise and randomised SMILES, so the first step's loss (mean over
ranks) and DDP's averaged gradients equal one process on the whole batch; only rank 0
writes the checkpoints.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")
_spec = importlib.util.spec_from_file_location("chem_cmim_distributed_worker", WORKER)
assert _spec is not None and _spec.loader is not None
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)


def test_two_processes_match_one_process_and_only_rank0_writes(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    torchrun(WORKER, str(out), str(results), nproc=2)
    ranks = [torch.load(results / f"rank{r}.pt", weights_only=True) for r in range(2)]
    for method in worker.METHODS:
        loss, grads = worker.first_step(method, tmp_path / "single")
        for got in ranks:
            # float32 GRUs: only the order of the sums differs (gather, all-reduce)
            assert abs(got[method]["loss"] - loss) <= 1e-5 * max(1.0, abs(loss)), method
            assert set(got[method]["grads"]) == set(grads), method
            for name, g in grads.items():
                torch.testing.assert_close(
                    got[method]["grads"][name], g, rtol=1e-4, atol=1e-6, msg=f"{method} {name}"
                )
    assert read_writes(results / "writes-rank0.jsonl")  # the checkpoints
    assert read_writes(results / "writes-rank1.jsonl") == []
