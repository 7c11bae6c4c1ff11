"""``torchrun`` with 2 gloo processes: the VGNN loop matches one process on the whole batch.

Encoder-decoder (no dropout, no latent noise): the first-step loss (averaged over ranks) and
the DDP-averaged gradients equal those of one process on the combined batch (tolerance:
``atol=1e-6``, ``rtol=1e-5``: only the summation order differs). VGNN: each process draws
its own latent noise, so the test checks that it runs with synchronised gradients. Only
rank 0 writes the CLI's outputs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import torch

from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")
ATOL, RTOL = 1e-6, 1e-5


def _worker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vgnn_distributed_worker", WORKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory) -> tuple[Path, Path]:
    """Run the worker in 2 processes once: (results folder, the CLI's OUT folder)."""
    root = tmp_path_factory.mktemp("vgnn-ddp")
    results, out = root / "results", root / "out"  # OUT is made by rank 0 alone
    results.mkdir()
    torchrun(WORKER, str(results), str(out), nproc=2, timeout=300)
    return results, out


def test_encdec_first_step_matches_one_process_on_the_combined_batch(two_processes):
    results, _ = two_processes
    one = _worker().first_step("encdec")
    for rank in range(2):
        two = torch.load(results / f"encdec-rank{rank}.pt")
        assert two["loss"] == pytest.approx(one["loss"], abs=ATOL, rel=RTOL)
        assert len(two["grads"]) == len(one["grads"])
        for g2, g1 in zip(two["grads"], one["grads"]):
            assert torch.allclose(g2, g1, atol=ATOL, rtol=RTOL)
    # each process trained on its own part: together they saw the combined batch
    parts = [torch.load(results / f"encdec-rank{rank}.pt")["nodes"] for rank in range(2)]
    assert len(one["nodes"]) == 1 and all(len(p) == 1 for p in parts)
    assert parts[0][0] + parts[1][0] == one["nodes"][0] and 0 < parts[0][0] < one["nodes"][0]


def test_vgnn_runs_in_two_processes_with_synchronised_gradients(two_processes):
    results, _ = two_processes
    ranks = [torch.load(results / f"vgnn-rank{rank}.pt") for rank in range(2)]
    assert all(torch.isfinite(torch.tensor(r["loss"])) for r in ranks)
    assert ranks[0]["loss"] == pytest.approx(ranks[1]["loss"], abs=1e-12)  # reduced over ranks
    for g0, g1 in zip(ranks[0]["grads"], ranks[1]["grads"]):
        assert torch.allclose(g0, g1, atol=ATOL, rtol=RTOL)


def test_only_rank_0_writes(two_processes):
    results, out = two_processes
    assert read_writes(results / "writes-rank1.jsonl") == []
    written = {Path(path).name for _, path in read_writes(results / "writes-rank0.jsonl")}
    assert "metrics.json" in written
    assert (out / "model").is_dir() and (out / "metrics.json").is_file()
