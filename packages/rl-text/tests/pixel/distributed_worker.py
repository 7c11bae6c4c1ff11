"""Run by test_distributed.py, under ``torchrun`` (2 gloo processes) and in the test's process.

``rl text pixel train --stage entailment`` (the real command and loop, one step on one
global batch, negatives gathered across ranks) with ``train_pairs`` spied on: the first
step's loss and the (clipped) gradients it left on the encoder are saved to
``RESULTS/rank{R}.pt``; every write under ``OUT`` is logged to ``LOGS/writes-rank{R}.jsonl``.
Usage: ``distributed_worker.py MODEL DATA BATCH OUT LOGS RESULTS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import torch

from rl_shared.testing.distributed import record_writes


def run(model: str, data: str, batch: str, out: str) -> dict[str, Any]:
    """Run the command with MODEL on DATA into OUT; ``{"loss", "grads"}`` of its first step."""
    import rl_text.pixel as pixel
    from rl_text.pixel.cli import group

    real = pixel.train_pairs
    seen: dict[str, Any] = {}

    def spy(encoder: torch.nn.Module, pairs: Any, **kwargs: Any) -> list[float]:
        losses = real(encoder, pairs, **kwargs)
        seen["loss"] = losses[0]  # the mean over the ranks of the first step's loss
        seen["grads"] = {n: p.grad.detach().clone() for n, p in encoder.named_parameters()}
        return losses

    pixel.train_pairs = spy  # the command imports it from the package when it runs
    try:
        args = ["train", "--stage", "entailment", "--model", model, "--data", data]
        opts = ["--out", out, "--steps", "1", "--batch-size", batch, "--device", "cpu"]
        group.main([*args, *opts, "--json"], standalone_mode=False)
    finally:
        pixel.train_pairs = real
    return seen


def main(model: str, data: str, batch: str, out: str, logs: str, results: str) -> None:
    rank = int(os.environ.get("RANK", "0"))
    record_writes(Path(logs) / f"writes-rank{rank}.jsonl", out)
    torch.save(run(model, data, batch, out), Path(results) / f"rank{rank}.pt")


if __name__ == "__main__":
    main(*sys.argv[1:7])
