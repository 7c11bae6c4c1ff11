"""Run by test_distributed.py, under ``torchrun`` (2 gloo processes) and alone.

``rl text binary-pv train`` (the real command and loop, one epoch of one batch) with
``train_pv`` spied on: the first step's loss and the gradients it left on the model are
saved to ``RESULTS/rank{R}.pt``; every write under ``OUT`` is logged to
``LOGS/writes-rank{R}.jsonl``. Usage: ``distributed_worker.py DATA OUT LOGS RESULTS``.
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
    import rl_text.binary_pv as pv
    from rl_text.binary_pv.cli import group

    real = pv.train_pv
    seen: dict[str, Any] = {}

    def spy(model: torch.nn.Module, corpus: Any, **kwargs: Any) -> list[float]:
        losses = real(model, corpus, **kwargs)
        seen["loss"] = losses[0]  # one epoch of one batch: the first step's loss
        seen["grads"] = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
        return losses

    pv.train_pv = spy  # the command imports it from the package when it runs
    try:
        args = ["train", "--data", data, "--out", out, "--bits", "8", "--epochs", "1"]
        group.main([*args, "--min-count", "1", "--device", "cpu", "--json"], standalone_mode=False)
    finally:
        pv.train_pv = real
    return seen


def main(data: str, out: str, logs: str, results: str) -> None:
    rank = int(os.environ.get("RANK", "0"))
    record_writes(Path(logs) / f"writes-rank{rank}.jsonl", out)
    torch.save(run(data, out), Path(results) / f"rank{rank}.pt")


if __name__ == "__main__":
    main(*sys.argv[1:5])
