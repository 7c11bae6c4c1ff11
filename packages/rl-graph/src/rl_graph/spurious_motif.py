"""Spurious-Motif: graph classification where the base graph is spuriously tied to the label.

Each graph is a base graph (tree, ladder or Barabási–Albert) with one motif attached
(cycle, house or 3×3 grid). The label is the motif. In training, the base graph equals the
label's "own" base with probability ``bias`` and is one of the other two otherwise, so
``bias = 1/3`` is unbiased; test graphs are unbiased and have larger base graphs (the DIR
protocol's second shift). Graphs are built with PyG's :class:`ExplainerDataset` from its
``TreeGraph`` / ``GridGraph`` (a 2×w grid is a ladder) / ``BAGraph`` generators and the
``CycleMotif`` / ``HouseMotif`` / ``GridMotif`` motif generators; this module adds the
biased label/base assignment, the size shift and reproducible seeding. DIR's wheel base
and crane motif have no PyG generator: BA graphs and grid motifs stand in for them.

References:
    Wu, Wang, Zhang, He & Chua, Discovering Invariant Rationales for Graph Neural
    Networks (DIR), arXiv:2201.12987.
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> graphs = make_spurious_motif(60, bias=0.9, seed=0)
    >>> len(graphs), graphs[0].num_node_features
    (60, 1)
    >>> round(measured_bias(graphs), 2)
    0.9
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import torch
from torch_geometric.data import Data
from torch_geometric.datasets import ExplainerDataset
from torch_geometric.datasets.graph_generator import BAGraph, GraphGenerator, GridGraph, TreeGraph
from torch_geometric.datasets.motif_generator import CycleMotif, GridMotif, HouseMotif

from rl_shared.errors import BadInput

__all__ = ["BASES", "MOTIFS", "make_spurious_motif", "measured_bias"]

MOTIFS = ("cycle", "house", "grid")
BASES = ("tree", "ladder", "ba")

# size parameter choices per base: (train, test); test bases are about twice as large
_SIZES = {
    "tree": ((3,), (4,)),  # depth: 15 / 31 nodes
    "ladder": ((6, 7, 8, 9), (14, 15, 16, 17)),  # width of a 2×w grid: 12-18 / 28-34 nodes
    "ba": ((14, 16, 18, 20), (28, 30, 32, 34)),  # nodes, 2 edges per new node
}


def _base(kind: str, size: int) -> GraphGenerator:
    if kind == "tree":
        return TreeGraph(depth=size, undirected=True)
    if kind == "ladder":
        return GridGraph(height=2, width=size)
    return BAGraph(num_nodes=size, num_edges=2)


def _motif(kind: str):
    return {"cycle": CycleMotif(5), "house": HouseMotif(), "grid": GridMotif()}[kind]


def make_spurious_motif(
    num_graphs: int,
    bias: float = 1 / 3,
    split: str = "train",
    seed: int = 0,
) -> list[Data]:
    """Generate Spurious-Motif graphs with base graph tied to the label at rate ``bias``.

    Args:
        num_graphs: how many graphs; split evenly over the three motifs (labels).
        bias: P(base = the label's own base) in ``[0, 1]``; 1/3 is unbiased. The number of
            such graphs per label is ``round(bias * n_label)``, so the measured bias equals
            the requested one up to rounding.
        split: ``"train"`` (bases of training size) or ``"test"`` (larger bases).
        seed: seeds the label/base assignment and the PyG generators.

    Returns:
        A shuffled list of ``Data`` with ``x`` (``[N, 1]`` ones), ``edge_index``, ``y``
        (motif, ``[1]``), ``base`` (base kind, ``[1]``) and ``node_mask`` (``[N]``, 1 on
        motif nodes: the ground-truth rationale).

    Example:
        >>> g = make_spurious_motif(3, bias=1.0, split="test", seed=1)
        >>> sorted(int(d.y) for d in g) == sorted(int(d.base) for d in g)
        True
    """
    if not 0.0 <= bias <= 1.0:
        raise BadInput(f"bias must lie in [0, 1], got {bias}; use 1/3 for unbiased data")
    if split not in ("train", "test"):
        raise BadInput(f"split must be 'train' or 'test', got {split!r}")
    if num_graphs < 1:
        raise BadInput(f"num_graphs must be at least 1, got {num_graphs}")
    rng = np.random.default_rng(seed)
    sizes = {k: v[0 if split == "train" else 1] for k, v in _SIZES.items()}
    groups: dict[tuple[int, int, int], int] = defaultdict(int)  # (label, base, size) -> count
    for label in range(3):
        n_label = num_graphs // 3 + (1 if label < num_graphs % 3 else 0)
        n_own = round(bias * n_label)
        others = [b for b in range(3) if b != label]
        rest = n_label - n_own
        split_rest = [rest // 2 + (1 if i < rest % 2 else 0) for i in range(2)]
        rng.shuffle(split_rest)
        bases = [label] * n_own + [others[0]] * split_rest[0] + [others[1]] * split_rest[1]
        for base in bases:
            size = int(rng.choice(sizes[BASES[base]]))
            groups[(label, base, size)] += 1
    graphs: list[Data] = []
    np_state = np.random.get_state()  # PyG's BA generator draws from NumPy's global RNG
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        np.random.seed(seed)
        for (label, base, size), count in sorted(groups.items()):
            dataset = ExplainerDataset(
                graph_generator=_base(BASES[base], size),
                motif_generator=_motif(MOTIFS[label]),
                num_motifs=1,
                num_graphs=count,
            )
            for i in range(count):
                g = dataset[i]
                graphs.append(
                    Data(
                        x=torch.ones(g.num_nodes, 1),
                        edge_index=g.edge_index,
                        y=torch.tensor([label]),
                        base=torch.tensor([base]),
                        node_mask=g.node_mask.flatten() > 0,
                    )
                )
    np.random.set_state(np_state)
    order = rng.permutation(len(graphs))
    return [graphs[i] for i in order]


def measured_bias(graphs: Sequence[Data]) -> float:
    """Fraction of graphs whose base graph is their label's own base.

    Args:
        graphs: graphs from :func:`make_spurious_motif` (with ``y`` and ``base``).

    Example:
        >>> measured_bias(make_spurious_motif(30, bias=0.5, seed=0))
        0.5
    """
    if not graphs:
        raise BadInput("measured_bias needs at least one graph")
    same = sum(int(g.y) == int(g.base) for g in graphs)
    return same / len(graphs)
