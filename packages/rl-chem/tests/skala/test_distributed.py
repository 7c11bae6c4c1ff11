"""Two gloo processes of ``train_fixed`` equal one process on every molecule; rank 0 writes.

Under ``torchrun``, ``train_pipeline`` computes each reference once (rank 0, into the cache)
and splits the density SCFs between the ranks.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import torch

from rl_shared.testing.distributed import read_writes, torchrun

WORKER = Path(__file__).with_name("distributed_worker.py")
_spec = importlib.util.spec_from_file_location("skala_distributed_worker", WORKER)
assert _spec is not None and _spec.loader is not None
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)


def test_two_processes_match_one_process_and_only_rank0_writes(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    densities = worker.data()
    torch.save({k: {"weights": d.weights, "rho": d.rho, "e_nonxc": d.e_nonxc}
                for k, d in densities.items()}, results / "data.pt")  # fmt: skip
    torchrun(WORKER, str(out), str(results), nproc=2)
    loss, grads = worker.first_step(tmp_path / "single", densities)
    ranks = [torch.load(results / f"rank{r}.pt", weights_only=True) for r in range(2)]
    for got in ranks:
        # float32 weights, float64 energies: only the summation order differs
        assert abs(got["loss"] - loss) <= 1e-6 * abs(loss)
        for name, g in grads.items():
            torch.testing.assert_close(got["grads"][name], g, rtol=1e-5, atol=1e-6, msg=name)
    assert read_writes(results / "writes-rank0.jsonl")  # the checkpoint and the model folder
    assert read_writes(results / "writes-rank1.jsonl") == []


def test_pipeline_computes_each_reference_once_and_shares_the_densities(tmp_path):
    out, results = tmp_path / "out", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    env = {"RL_CACHE_DIR": str(tmp_path / "cache")}
    torchrun(WORKER, str(out), str(results), "pipeline", nproc=2, env=env)
    ranks = [json.loads((results / f"pipeline-rank{r}.json").read_text()) for r in range(2)]
    assert len(ranks[0]["reference"]) == len(worker.SYSTEMS)  # rank 0 filled the cache
    assert ranks[1]["reference"] == []  # rank 1 read it
    assert ranks[0]["reference_ae"] == ranks[1]["reference_ae"]
    assert sorted(ranks[0]["reference_ae"]) == sorted(worker.MOLECULES)
    shares = [set(r["density"]) for r in ranks]
    assert shares[0].isdisjoint(shares[1]) and shares[0] | shares[1] == set(worker.SYSTEMS)
    assert read_writes(results / "writes-rank1.jsonl") == []
