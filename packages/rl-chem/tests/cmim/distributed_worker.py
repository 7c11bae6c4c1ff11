"""Run by test_distributed.py under torchrun: one real step of ``train_smiles_model`` per rank.

For cMIM and InfoNCE (in-batch candidates gathered across ranks) each rank trains on its
half of the same global batch of SMILES, through the loop ``rl chem cmim train`` runs
(checkpoints under OUT_DIR), and saves the first step's loss (averaged over ranks) and the
gradients DDP left on the weights.

Usage: ``distributed_worker.py OUT_DIR RESULT_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch

from rl_shared.testing.distributed import record_writes

METHODS = ("cmim", "infonce")
SMILES = ["CCO", "c1ccccc1O", "CC(=O)N", "C#N", "OCC(O)CO", "CCCCCl", "CCN", "CC(C)O"]


def first_step(method: str, out_dir: str | Path) -> tuple[float, dict[str, torch.Tensor]]:
    """One step of ``train_smiles_model``: the loss and the gradients of the weights."""
    from rl_chem.cmim.model import Vocab
    from rl_chem.cmim.train import train_smiles_model

    losses: list[float] = []
    model = train_smiles_model(SMILES, method, Vocab.build(SMILES), max_len=12, batch_size=4,
                               steps=1, latent=4, hidden=8, device="cpu", history=losses,
                               checkpoint_dir=Path(out_dir) / method, resume=False)  # fmt: skip
    grads = {k: p.grad.clone() for k, p in model.named_parameters() if p.grad is not None}
    return losses[0], grads


def main(out_dir: str, results: str) -> None:
    rank = int(os.environ["RANK"])
    record_writes(Path(results) / f"writes-rank{rank}.jsonl", out_dir)
    saved = {m: dict(zip(("loss", "grads"), first_step(m, out_dir), strict=True)) for m in METHODS}
    torch.save(saved, Path(results) / f"rank{rank}.pt")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
