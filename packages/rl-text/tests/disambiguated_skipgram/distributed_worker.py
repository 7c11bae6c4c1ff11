"""Run by test_distributed.py, under ``torchrun`` (2 gloo processes) and alone.

``rl text disambiguated-skipgram train`` (the real command and loop, one epoch of one
batch, sparse tables) with ``train_skipgram`` spied on: the first step's loss and the
(densified) gradients it left on the model are saved to ``RESULTS/rank{R}.pt``; every write
under ``OUT`` is logged to ``LOGS/writes-rank{R}.jsonl``.
Usage: ``distributed_worker.py DATA OUT LOGS RESULTS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import torch

from rl_shared.testing.distributed import record_writes


def run(data: str, out: str) -> dict[str, Any]:
    """Run the command on DATA into OUT; ``{"loss", "grads", ...}`` of its first step."""
    import rl_text.disambiguated_skipgram as dsg
    from rl_text.disambiguated_skipgram.cli import group

    real = dsg.train_skipgram
    seen: dict[str, Any] = {}

    def spy(model: torch.nn.Module, *args: Any, **kwargs: Any) -> list[float]:
        losses = real(model, *args, **kwargs)
        seen["loss"] = losses[0]  # one epoch of one batch: the first step's loss
        seen["grads"] = {n: p.grad.detach().to_dense().clone() for n, p in model.named_parameters()}
        seen["sparse"] = all(p.grad.is_sparse for p in model.parameters())
        return losses

    dsg.train_skipgram = spy  # the command imports it from the package when it runs
    try:
        args = ["train", "--data", data, "--out", out, "--epochs", "1", "--min-count", "1"]
        opts = ["--dim", "8", "--senses", "2", "--window", "1", "--sample", "0", "--device", "cpu"]
        group.main([*args, *opts, "--json"], standalone_mode=False)
    finally:
        dsg.train_skipgram = real
    return seen


def main(data: str, out: str, logs: str, results: str) -> None:
    rank = int(os.environ.get("RANK", "0"))
    record_writes(Path(logs) / f"writes-rank{rank}.jsonl", out)
    torch.save(run(data, out), Path(results) / f"rank{rank}.pt")


if __name__ == "__main__":
    main(*sys.argv[1:5])
