"""Run by test_distributed.py under torchrun: one real step of ``train_mim`` per rank.

For cMIM and InfoNCE (in-batch candidates gathered across ranks) each rank trains on its
half of the same global batch and saves the first step's loss (averaged over ranks) and
the gradients DDP left on the weights.

Usage: ``distributed_worker.py OUT_DIR RESULT_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import torch

from rl_shared.testing.distributed import record_writes

METHODS = ("cmim", "infonce")
BATCH = 8


def data() -> np.ndarray:
    """The digits-sized rows every rank (and the one-process run) trains on."""
    return np.random.default_rng(0).random((24, 64), dtype=np.float32)


def first_step(method: str) -> tuple[float, dict[str, torch.Tensor]]:
    """One step of ``train_mim``: the loss and the gradients of every parameter that has one."""
    from rl_shared.cmim.reproduction import augment_digits
    from rl_shared.cmim.train import train_mim

    losses: list[float] = []
    model = train_mim(data(), method, BATCH, 1, seed=0, latent_dim=4, hidden_dim=16,
                      augment=augment_digits, history=losses, device="cpu")  # fmt: skip
    grads = {k: p.grad.clone() for k, p in model.named_parameters() if p.grad is not None}
    return losses[0], grads


def main(out_dir: str, results: str) -> None:
    rank = int(os.environ["RANK"])
    record_writes(Path(results) / f"writes-rank{rank}.jsonl", out_dir)
    os.chdir(out_dir)  # a stray relative write would land under the audited folder
    saved = {m: dict(zip(("loss", "grads"), first_step(m), strict=True)) for m in METHODS}
    torch.save(saved, Path(results) / f"rank{rank}.pt")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
