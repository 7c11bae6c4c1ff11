"""Two gloo processes of ``train_mim`` equal one process on the combined batch; no rank writes.

The loop gathers cMIM's candidate codes and InfoNCE's negatives across ranks, and every
rank draws the global batch's noise and views, so the first step's loss (mean over ranks)
and DDP's averaged gradients equal one process on the whole batch. ``train_mim`` writes no
files (the reproduction writes its figure through the harness, on one process), so the
audit expects no write under the output folder from either rank.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")
_spec = importlib.util.spec_from_file_location("cmim_distributed_worker", WORKER)
assert _spec is not None and _spec.loader is not None
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)


def test_two_processes_match_one_process_on_the_whole_batch(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    torchrun(WORKER, str(out), str(results), nproc=2)
    ranks = [torch.load(results / f"rank{r}.pt", weights_only=True) for r in range(2)]
    for method in worker.METHODS:
        loss, grads = worker.first_step(method)
        for got in ranks:
            # float32: only the order of the sums differs (gather, all-reduce)
            assert abs(got[method]["loss"] - loss) <= 1e-5 * max(1.0, abs(loss)), method
            assert set(got[method]["grads"]) == set(grads), method
            for name, g in grads.items():
                torch.testing.assert_close(
                    got[method]["grads"][name], g, rtol=1e-4, atol=1e-6, msg=f"{method} {name}"
                )
    for rank in range(2):
        assert read_writes(results / f"writes-rank{rank}.jsonl") == []
