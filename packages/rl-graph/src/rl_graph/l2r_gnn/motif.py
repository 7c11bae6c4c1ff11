"""The Spurious-Motif graphs of the L2R-GNN experiments: a generator and its ``.npz`` files.

Each graph is a base graph (tree, ladder or Barabási–Albert) with one motif attached (cycle,
house or 3×3 grid). The label is the motif. In training, the base graph equals the label's
"own" base with probability ``bias`` and is one of the other two otherwise, so
``bias = 1/3`` is unbiased; test graphs are unbiased and have larger base graphs (the DIR
protocol's second shift). Graphs are built with PyG's
:class:`~torch_geometric.datasets.ExplainerDataset` from its ``TreeGraph`` / ``GridGraph``
(a 2×w grid is a ladder) / ``BAGraph`` generators and the ``CycleMotif`` / ``HouseMotif`` /
``GridMotif`` motif generators; this module adds the biased label/base assignment, the size
shift and reproducible seeding. DIR's wheel base and crane motif have no PyG generator: BA
graphs and grid motifs stand in for them. :func:`save_graphs` / :func:`load_graphs` store a
generated set as one ``.npz`` file (plain arrays, nothing pickled).

torch and PyG load inside the functions, so importing this module stays light.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Wu, Wang, Zhang, He & Chua, Discovering Invariant Rationales for Graph Neural
    Networks (DIR), arXiv:2201.12987.

Example:
    >>> graphs = make_spurious_motif(60, bias=0.9, seed=0)
    >>> len(graphs), graphs[0].num_node_features, round(measured_bias(graphs), 2)
    (60, 1, 0.9)
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rl_shared.errors import BadInput, MalformedFile

if TYPE_CHECKING:  # torch / PyG load inside the functions: importing this module stays light
    from torch_geometric.data import Data
    from torch_geometric.datasets.graph_generator import GraphGenerator

__all__ = [
    "BASES",
    "MOTIFS",
    "load_graphs",
    "make_spurious_motif",
    "measured_bias",
    "save_graphs",
]

MOTIFS = ("cycle", "house", "grid")
BASES = ("tree", "ladder", "ba")

# size parameter choices per base: (train, test); test bases are about twice as large
_SIZES = {
    "tree": ((3,), (4,)),  # depth: 15 / 31 nodes
    "ladder": ((6, 7, 8, 9), (14, 15, 16, 17)),  # width of a 2×w grid: 12-18 / 28-34 nodes
    "ba": ((14, 16, 18, 20), (28, 30, 32, 34)),  # nodes, 2 edges per new node
}


def _base(kind: str, size: int) -> GraphGenerator:
    from torch_geometric.datasets.graph_generator import BAGraph, GridGraph, TreeGraph

    if kind == "tree":
        return TreeGraph(depth=size, undirected=True)
    if kind == "ladder":
        return GridGraph(height=2, width=size)
    return BAGraph(num_nodes=size, num_edges=2)


def _motif(kind: str):
    from torch_geometric.datasets.motif_generator import CycleMotif, GridMotif, HouseMotif

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
        seed: seeds the label/base assignment and the PyG generators; the caller's random
            states (Python, NumPy, torch) are left as they were.

    Returns:
        A shuffled list of ``Data`` with ``x`` (``[N, 1]`` ones), ``edge_index``, ``y``
        (motif, ``[1]``), ``base`` (base kind, ``[1]``) and ``node_mask`` (``[N]``, 1 on
        motif nodes: the ground-truth rationale).

    References:
        DIR, arXiv:2201.12987 (the Spurious-Motif protocol).

    Example:
        >>> g = make_spurious_motif(3, bias=1.0, split="test", seed=1)
        >>> sorted(int(d.y) for d in g) == sorted(int(d.base) for d in g)
        True
    """
    import torch
    from torch_geometric.data import Data
    from torch_geometric.datasets import ExplainerDataset

    from rl_shared.runtime import seed_everything

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
    # PyG's generators draw from the global RNGs (BA from NumPy's): seed them, restore after
    py_state, np_state = random.getstate(), np.random.get_state()
    with torch.random.fork_rng(devices=[]):
        seed_everything(seed)
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
    random.setstate(py_state)
    np.random.set_state(np_state)
    order = rng.permutation(len(graphs))
    return [graphs[i] for i in order]


def measured_bias(graphs: Sequence[Data]) -> float:
    """Fraction of graphs whose base graph is their label's own base.

    Args:
        graphs: graphs from :func:`make_spurious_motif` (with ``y`` and ``base``).

    References:
        DIR, arXiv:2201.12987.

    Example:
        >>> measured_bias(make_spurious_motif(30, bias=0.5, seed=0))
        0.5
    """
    if not graphs:
        raise BadInput("measured_bias needs at least one graph")
    same = sum(int(g.y) == int(g.base) for g in graphs)
    return same / len(graphs)


_GRAPH_KEYS = ("num_nodes", "num_edges", "x", "edge_index", "y", "base", "node_mask")


def save_graphs(graphs: Sequence[Data], path: str | Path) -> Path:
    """Write Spurious-Motif graphs to one ``.npz`` file (atomically; plain arrays only).

    Args:
        graphs: graphs with ``x``, ``edge_index``, ``y``, ``base`` and ``node_mask``.
        path: the file to write.

    Shapes:
        stored: ``x`` ``[ΣN, F]``, ``edge_index`` ``[2, ΣE]``, per graph ``y``, ``base``.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> import tempfile
        >>> graphs = make_spurious_motif(6, bias=0.5, seed=0)
        >>> path = save_graphs(graphs, Path(tempfile.mkdtemp()) / "sm.npz")
        >>> [int(g.num_nodes) for g in load_graphs(path)] == [g.num_nodes for g in graphs]
        True
    """
    from rl_shared.io import atomic_open

    if not graphs:
        raise BadInput("save_graphs needs at least one graph")
    arrays: dict[str, Any] = {
        "num_nodes": np.array([g.num_nodes for g in graphs], dtype=np.int64),
        "num_edges": np.array([g.edge_index.shape[1] for g in graphs], dtype=np.int64),
        "x": np.concatenate([g.x.numpy() for g in graphs]),
        "edge_index": np.concatenate([g.edge_index.numpy() for g in graphs], 1),
        "y": np.array([int(g.y) for g in graphs], dtype=np.int64),
        "base": np.array([int(g.base) for g in graphs], dtype=np.int64),
        "node_mask": np.concatenate([g.node_mask.numpy() for g in graphs]),
    }
    path = Path(path)
    with atomic_open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)
    return path


def _check_arrays(path: Path, a: dict[str, np.ndarray]) -> None:
    """Refuse arrays that do not describe graphs (:class:`MalformedFile` naming the file)."""

    def bad(problem: str) -> MalformedFile:
        return MalformedFile(path, None, f"is not a graph file of `generate`: {problem}")

    ints = ("num_nodes", "num_edges", "y", "base", "edge_index")
    if any(not np.issubdtype(a[k].dtype, np.integer) for k in ints):
        raise bad("the counts, labels and edges must be integers")
    if not np.issubdtype(a["x"].dtype, np.number) or not np.isfinite(a["x"]).all():
        raise bad("the node features must be finite numbers")
    n = len(a["num_nodes"])
    shapes_ok = (
        n > 0
        and a["num_nodes"].ndim == a["num_edges"].ndim == a["y"].ndim == a["base"].ndim == 1
        and len(a["num_edges"]) == len(a["y"]) == len(a["base"]) == n
        and a["edge_index"].ndim == 2
        and a["edge_index"].shape[0] == 2
        and a["x"].ndim == 2
    )
    if not shapes_ok:
        raise bad("its arrays do not have the shapes `generate` writes")
    if (a["num_nodes"] < 1).any() or (a["num_edges"] < 0).any() or (a["y"] < 0).any():
        raise bad("a graph has no node, a negative edge count or a negative label")
    total_nodes, total_edges = int(a["num_nodes"].sum()), int(a["num_edges"].sum())
    if len(a["x"]) != total_nodes or len(a["node_mask"]) != total_nodes:
        raise bad(f"{len(a['x'])} node rows for {total_nodes} nodes")
    if a["edge_index"].shape[1] != total_edges:
        raise bad(f"{a['edge_index'].shape[1]} edges for the {total_edges} counted")
    owner = np.repeat(np.arange(n), a["num_edges"])
    limit = a["num_nodes"][owner]
    if ((a["edge_index"] < 0) | (a["edge_index"] >= limit)).any():
        raise bad("an edge points at a node outside its graph")


def load_graphs(path: str | Path) -> list[Data]:
    """Read graphs written by :func:`save_graphs` (``allow_pickle=False``).

    Args:
        path: a ``.npz`` file from :func:`save_graphs` (``rl graph l2r-gnn generate``).

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> import tempfile
        >>> path = save_graphs(make_spurious_motif(3, seed=0), Path(tempfile.mkdtemp()) / "g.npz")
        >>> len(load_graphs(path))
        3
    """
    import torch
    from torch_geometric.data import Data

    path = Path(path)
    if path.is_dir():
        raise MalformedFile(path, None, "is a folder, where a graph file was expected")
    if not path.is_file():
        raise BadInput(f"{path} does not exist; write one with `rl graph l2r-gnn generate`")
    if path.stat().st_size == 0:
        raise MalformedFile(path, None, "the file is empty")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in _GRAPH_KEYS}
    except Exception as exc:  # zipfile / numpy raise many types for a corrupt archive
        raise MalformedFile(path, None, f"is not a graph file of `generate` ({exc})") from None
    _check_arrays(path, arrays)
    node_end, edge_end = np.cumsum(arrays["num_nodes"]), np.cumsum(arrays["num_edges"])
    graphs = []
    for i in range(len(node_end)):
        n0, n1 = node_end[i] - arrays["num_nodes"][i], node_end[i]
        e0, e1 = edge_end[i] - arrays["num_edges"][i], edge_end[i]
        graphs.append(
            Data(
                x=torch.from_numpy(arrays["x"][n0:n1].copy()),
                edge_index=torch.from_numpy(arrays["edge_index"][:, e0:e1].copy()),
                y=torch.tensor([int(arrays["y"][i])]),
                base=torch.tensor([int(arrays["base"][i])]),
                node_mask=torch.from_numpy(arrays["node_mask"][n0:n1].copy()),
            )
        )
    return graphs
