"""Worker of ``test_distributed.py`` (run under ``torchrun``; not a test module).

Usage: ``distributed_worker.py RESULTS OUT``. Each rank logs its writes under ``OUT``
(:func:`rl_shared.testing.distributed.record_writes`), trains one step of the
encoder-decoder and one of VGNN through :func:`rl_graph.vgnn.train.fit_vgnn` on its half of
:func:`batch_graphs` and saves the first-step loss and gradients to
``RESULTS/<model>-rank<R>.pt``; then it runs ``rl graph vgnn train --out OUT`` (only rank 0
may write there).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

#: admissions in the global batch (each of 2 processes trains on 4) and codes in all
NUM_ADMISSIONS, NUM_CODES = 8, 12


def batch_graphs() -> list[Any]:
    """The global batch: admissions of 3 codes each, so each half holds as many code nodes
    (the KL term is a mean over code nodes) and both outcomes."""
    from rl_graph.vgnn.model import admission_graph

    return [
        admission_graph([i % NUM_CODES, (3 * i + 1) % NUM_CODES, (5 * i + 2) % NUM_CODES], i % 2)
        for i in range(NUM_ADMISSIONS)
    ]


def first_step(model: str) -> dict[str, Any]:
    """One step of the real loop on the whole batch: its loss and the parameters' gradients.

    ``model`` is ``"encdec"`` (deterministic without dropout) or ``"vgnn"`` (each process
    draws its own latent noise). In one process this is the reference; under ``torchrun``
    the loop trains each process on its half and DDP averages the gradients.
    """
    import torch

    from rl_graph.vgnn.model import VGNN
    from rl_graph.vgnn.train import fit_vgnn

    torch.manual_seed(0)
    net = VGNN(NUM_CODES, hidden=8, variational=model == "vgnn", dropout=0.0)
    nodes: list[int] = []  # node rows each forward pass sees: this process's part
    net.encoder.register_forward_pre_hook(lambda _, args: nodes.append(int(args[0].shape[0])))
    hist = fit_vgnn(
        net, batch_graphs(), epochs=1, lr=1e-2, beta=0.1, batch_size=NUM_ADMISSIONS, seed=0,
        device="cpu",
    )  # fmt: skip
    grads = [p.grad.detach().clone() for p in net.parameters() if p.requires_grad]
    return {"loss": hist[0], "grads": grads, "nodes": nodes}


def main(results: Path, out: Path) -> None:
    from rl_shared.testing.distributed import record_writes

    rank = int(os.environ.get("RANK", "0"))
    record_writes(results / f"writes-rank{rank}.jsonl", out)
    import torch

    from rl_shared.cli.main import main as rl

    for model in ("encdec", "vgnn"):
        torch.save(first_step(model), results / f"{model}-rank{rank}.pt")
    status = rl(
        ["graph", "vgnn", "train", "--data", "synthetic", "--num-admissions", "40",
         "--epochs", "1", "--batch-size", "8", "--device", "cpu", "--out", str(out), "--json"]
    )  # fmt: skip
    if status != 0:
        raise SystemExit(f"rank {rank}: rl graph vgnn train exited {status}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
