"""Time Spurious-Motif generation and an L2R-GNN epoch against an ERM epoch.

Prints (1) seconds to generate 4,000 Spurious-Motif graphs (target: under 10 s on 2 cores)
and (2) the seconds of one training epoch of GIN on the same 3,000 graphs by ERM (the peer)
and by L2R-GNN (ours), and their ratio (target: at most 2). Torch runs on one thread, as in
the reproductions; the median of several epochs is reported.
"""

from __future__ import annotations

import statistics
import time

from torch_geometric.loader import DataLoader

from rl_graph.core.models import GINClassifier
from rl_graph.l2r_gnn.model import L2RReweighter
from rl_graph.l2r_gnn.motif import make_spurious_motif
from rl_graph.l2r_gnn.train import train
from rl_shared.runtime import seed_everything, threads


def epoch_seconds(method: str, graphs, repeats: int = 5) -> float:
    seed_everything(0)
    model = GINClassifier(1, 32, 3)
    loader = DataLoader(graphs, batch_size=64, shuffle=True)
    reweighter = L2RReweighter(seed=0)
    train(model, loader, method, epochs=1, reweighter=reweighter)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        train(model, loader, method, epochs=1, reweighter=reweighter)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with threads(1):
        _measure()


def _measure() -> None:
    make_spurious_motif(30, 0.9, seed=0)  # warm-up imports
    start = time.perf_counter()
    graphs = make_spurious_motif(4000, 0.9, seed=0)
    gen = time.perf_counter() - start
    print(f"generate 4,000 Spurious-Motif graphs: {gen:.2f} s (target < 10 s)")
    erm = epoch_seconds("erm", graphs[:3000])
    l2r = epoch_seconds("l2r", graphs[:3000])
    print(f"peer (ERM epoch, 3,000 graphs):      {erm:.3f} s")
    print(f"ours (L2R-GNN epoch, 3,000 graphs):  {l2r:.3f} s")
    print(f"ratio L2R / ERM: {l2r / erm:.2f}x (target <= 2)")


if __name__ == "__main__":
    main()
