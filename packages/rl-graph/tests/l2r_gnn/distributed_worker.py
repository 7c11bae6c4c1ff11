"""Worker of ``test_distributed.py`` (run under ``torchrun``; not a test module).

Usage: ``distributed_worker.py RESULTS OUT``. Each rank logs its writes under ``OUT``
(:func:`rl_shared.testing.distributed.record_writes`), trains one step of ERM and one of
L2R-GNN through :func:`rl_graph.l2r_gnn.train.train` on its half of :func:`batch_graphs`
and saves the first-step loss and gradients to ``RESULTS/<method>-rank<R>.pt``; then it
runs ``rl graph l2r-gnn train --out OUT`` (only rank 0 may write there).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

#: graphs in the global batch (each of 2 processes trains on 6)
NUM_GRAPHS = 12


def batch_graphs() -> list[Any]:
    """The global batch: a fixed set of Spurious-Motif graphs."""
    from rl_graph.l2r_gnn.motif import make_spurious_motif

    return make_spurious_motif(NUM_GRAPHS, bias=1 / 3, seed=0)


def first_step(method: str) -> dict[str, Any]:
    """One step of the real loop on the whole batch: its loss and the parameters' gradients.

    In one process this is the reference; under ``torchrun`` the loop trains each process on
    its half and DDP averages the gradients.
    """
    import torch
    from torch_geometric.loader import DataLoader

    from rl_graph.core.models import GINClassifier
    from rl_graph.l2r_gnn.model import L2RReweighter
    from rl_graph.l2r_gnn.train import train

    graphs = batch_graphs()
    torch.manual_seed(0)
    model = GINClassifier(1, 8, 3)
    nodes: list[int] = []  # node rows each forward pass sees: this process's part
    model.gnn.register_forward_pre_hook(lambda _, args: nodes.append(int(args[0].shape[0])))
    hist = train(
        model,
        DataLoader(graphs, batch_size=NUM_GRAPHS),
        method,
        epochs=1,
        lr=1e-2,
        reweighter=L2RReweighter(num_clusters=2, inner_steps=2, seed=0),
        seed=0,
        device="cpu",
    )
    grads = [p.grad.detach().clone() for p in model.parameters()]
    return {"loss": hist["loss"][0], "grads": grads, "nodes": nodes}


def main(results: Path, out: Path) -> None:
    from rl_shared.testing.distributed import record_writes

    rank = int(os.environ.get("RANK", "0"))
    record_writes(results / f"writes-rank{rank}.jsonl", out)
    import torch

    from rl_shared.cli.main import main as rl

    for method in ("erm", "l2r"):
        torch.save(first_step(method), results / f"{method}-rank{rank}.pt")
    status = rl(
        ["graph", "l2r-gnn", "train", "--data", "spurious-motif", "--num-train", "12",
         "--num-test", "9", "--epochs", "1", "--batch-size", "6", "--device", "cpu",
         "--out", str(out), "--json"]
    )  # fmt: skip
    if status != 0:
        raise SystemExit(f"rank {rank}: rl graph l2r-gnn train exited {status}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
