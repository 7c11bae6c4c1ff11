"""The data of the L2R-GNN experiments: Spurious-Motif graphs and MoleculeNet molecules.

**Spurious-Motif.** Each graph is a base graph (tree, ladder or Barabási–Albert) with one
motif attached (cycle, house or 3×3 grid). The label is the motif. In training, the base
graph equals the label's "own" base with probability ``bias`` and is one of the other two
otherwise, so ``bias = 1/3`` is unbiased; test graphs are unbiased and have larger base
graphs (the DIR protocol's second shift). Graphs are built with PyG's
:class:`~torch_geometric.datasets.ExplainerDataset` from its ``TreeGraph`` / ``GridGraph``
(a 2×w grid is a ladder) / ``BAGraph`` generators and the ``CycleMotif`` / ``HouseMotif`` /
``GridMotif`` motif generators; this module adds the biased label/base assignment, the size
shift and reproducible seeding. DIR's wheel base and crane motif have no PyG generator: BA
graphs and grid motifs stand in for them. :func:`save_graphs` / :func:`load_graphs` store a
generated set as one ``.npz`` file (plain arrays, nothing pickled).

**Molecules.** MoleculeNet HIV / BBBP / BACE SMILES are featurised by PyG's
:func:`torch_geometric.utils.from_smiles` (RDKit, the 9 OGB-style categorical atom
features); Bemis–Murcko scaffolds come from RDKit's ``MurckoScaffold``. The scaffold split
follows OGB / MoleculeNet: scaffold sets sorted by size (largest first, ties: later first
appearance first, as in DeepChem / OGB) fill train, then valid, then test, so no scaffold is
shared between splits. The size split trains on the smallest molecules and tests on the
largest.

torch, PyG and RDKit load inside the functions, so the dataset registry stays light.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Wu, Wang, Zhang, He & Chua, Discovering Invariant Rationales for Graph Neural
    Networks (DIR), arXiv:2201.12987.
    Wu et al., MoleculeNet: A Benchmark for Molecular Machine Learning, arXiv:1703.00564.
    Hu et al., Open Graph Benchmark, arXiv:2005.00687.

Example:
    >>> graphs = make_spurious_motif(60, bias=0.9, seed=0)
    >>> len(graphs), graphs[0].num_node_features, round(measured_bias(graphs), 2)
    (60, 1, 0.9)
    >>> mols = featurise(["CCO", "c1ccccc1O", "c1ccccc1N", "C1CC1C"], [0, 1, 1, 0])
    >>> [g.num_nodes for g in mols]
    [3, 7, 7, 4]
    >>> train, valid, test = scaffold_split([g.smiles for g in mols], (0.5, 0.25, 0.25))
    >>> sorted(train + valid + test)
    [0, 1, 2, 3]
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rl_shared.data import Dataset
from rl_shared.errors import BadInput, MalformedFile, UnknownName

if TYPE_CHECKING:  # torch / PyG load inside the functions: the dataset registry stays light
    from torch_geometric.data import Data
    from torch_geometric.datasets.graph_generator import GraphGenerator

__all__ = [
    "BASES",
    "MOLECULES",
    "MOLECULE_SETS",
    "MOTIFS",
    "featurise",
    "load_graphs",
    "load_molecule_csv",
    "load_molecules",
    "make_spurious_motif",
    "measured_bias",
    "murcko_scaffold",
    "save_graphs",
    "scaffold_split",
    "size_split",
    "subsample",
]

# ---------------------------------------------------------------------------------------
# Spurious-Motif

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
    if not path.is_file():
        raise BadInput(f"{path} does not exist; write one with `rl graph l2r-gnn generate`")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in _GRAPH_KEYS}
    except (KeyError, ValueError, OSError) as exc:
        raise MalformedFile(path, None, f"is not a graph file of `generate` ({exc})") from None
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


# ---------------------------------------------------------------------------------------
# MoleculeNet

# name -> (file, smiles column, label column)
_FILES = {
    "hiv": ("HIV.csv", "smiles", "target"),
    "bbbp": ("BBBP.csv", "smiles", "target"),
    "bace": ("bace.csv", "smiles", "Class"),
}
#: the MoleculeNet sets :func:`load_molecules` reads
MOLECULE_SETS = tuple(sorted(_FILES))

MOLECULES = Dataset(
    name="moleculenet-classification",
    path="molecules",
    files=("HIV.csv", "BBBP.csv", "bace.csv"),
    description="MoleculeNet HIV, BBBP, BACE (SMILES + binary label)",
    hint="put HIV.csv, BBBP.csv and bace.csv (MoleculeNet CSVs) there",
    used_by=("graph.l2r-gnn.molecules",),
)


def murcko_scaffold(smiles: str) -> str:
    """Bemis–Murcko scaffold SMILES (with chirality, as OGB); ``""`` for acyclic molecules.

    Args:
        smiles: one molecule.

    References:
        Bemis & Murcko, J. Med. Chem. 1996; OGB, arXiv:2005.00687.

    Example:
        >>> murcko_scaffold("Cc1ccccc1CC(=O)O")
        'c1ccccc1'
    """
    from rdkit.Chem.Scaffolds import MurckoScaffold
    from rdkit.rdBase import DisableLog

    DisableLog("rdApp.*")
    return MurckoScaffold.MurckoScaffoldSmiles(smiles=smiles, includeChirality=True)


def scaffold_split(
    smiles: Sequence[str], fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
) -> tuple[list[int], list[int], list[int]]:
    """Indices of train / valid / test with disjoint Murcko scaffolds (OGB's scheme).

    Args:
        smiles: one SMILES per molecule.
        fractions: train, valid, test fractions (summing to 1).

    References:
        Hu et al., Open Graph Benchmark, arXiv:2005.00687.

    Example:
        >>> scaffold_split(["c1ccccc1O", "c1ccccc1N", "CCO", "C1CC1"], (0.5, 0.25, 0.25))
        ([0, 1], [3], [2])
    """
    if abs(sum(fractions) - 1) > 1e-6:
        raise BadInput(f"split fractions must sum to 1, got {fractions}")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(smiles):
        groups[murcko_scaffold(s)].append(i)
    sets = sorted(groups.values(), key=lambda g: (len(g), g[0]), reverse=True)
    n = len(smiles)
    cut_train, cut_valid = fractions[0] * n, (fractions[0] + fractions[1]) * n
    train: list[int] = []
    valid: list[int] = []
    test: list[int] = []
    for group in sets:
        if len(train) + len(group) <= cut_train:
            train += group
        elif len(train) + len(valid) + len(group) <= cut_valid:
            valid += group
        else:
            test += group
    return sorted(train), sorted(valid), sorted(test)


def size_split(
    num_atoms: Sequence[int], fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
) -> tuple[list[int], list[int], list[int]]:
    """Train on the smallest molecules, validate on the next, test on the largest.

    Args:
        num_atoms: size of each molecule.
        fractions: train, valid, test fractions.

    References:
        L2R-GNN, arXiv:2312.12475 (size-shift splits).

    Example:
        >>> size_split([5, 1, 9, 3], (0.5, 0.25, 0.25))
        ([1, 3], [0], [2])
    """
    order = np.argsort(np.asarray(num_atoms), kind="stable")
    n = len(order)
    a, b = round(fractions[0] * n), round((fractions[0] + fractions[1]) * n)
    return sorted(order[:a].tolist()), sorted(order[a:b].tolist()), sorted(order[b:].tolist())


def featurise(smiles: Sequence[str], labels: Sequence[int]) -> list[Data]:
    """PyG graphs from SMILES (``from_smiles``); molecules RDKit cannot parse are skipped.

    Args:
        smiles: one SMILES per molecule.
        labels: one class id per molecule.

    Shapes:
        each graph: ``x`` ``[N, 9]`` integer atom features, ``y`` ``[1]``; keeps ``smiles``.

    References:
        OGB, arXiv:2005.00687 (the atom features).

    Example:
        >>> [g.smiles for g in featurise(["CCO", "not-a-smiles"], [1, 0])]
        ['CCO']
    """
    import torch
    from rdkit.rdBase import DisableLog
    from torch_geometric.utils import from_smiles

    DisableLog("rdApp.*")
    graphs = []
    for s, y in zip(smiles, labels, strict=True):
        try:
            g = from_smiles(s)
        except (ValueError, AttributeError, RuntimeError):
            continue
        if g.num_nodes == 0:
            continue
        g.y = torch.tensor([int(y)])
        graphs.append(g)
    return graphs


def load_molecule_csv(
    path: str | Path, smiles_col: str | None = None, label_col: str | None = None
) -> tuple[list[str], list[int]]:
    """SMILES and binary labels of a CSV file (a MoleculeNet file or one of your own).

    Args:
        path: the CSV.
        smiles_col: the SMILES column (default: ``smiles``, any case).
        label_col: the label column (default: the first of ``target``, ``Class``, ``label``,
            ``y``, ``p_np``, any case).

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "m.csv"; _ = f.write_text("SMILES,label\\nCCO,1\\n")
        >>> load_molecule_csv(f)
        (['CCO'], [1])
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path} does not exist; --data takes a CSV of SMILES and labels")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        lower = {h.strip().lower(): h for h in header}
        smiles_key = lower.get((smiles_col or "smiles").lower())
        label_key = (
            lower.get(label_col.lower())
            if label_col
            else next(
                (lower[c] for c in ("target", "class", "label", "y", "p_np") if c in lower), None
            )
        )
        if smiles_key is None or label_key is None:
            want = f"{smiles_col or 'smiles'!r} and {label_col or 'target/Class/label'!r}"
            raise MalformedFile(path, 1, f"header must have columns {want}")
        smiles, labels = [], []
        for line, row in enumerate(reader, start=2):
            try:
                labels.append(int(float(row[label_key])))
            except (TypeError, ValueError):
                raise MalformedFile(path, line, f"label {row[label_key]!r} is not 0 or 1") from None
            smiles.append((row[smiles_key] or "").strip())
    return smiles, labels


def load_molecules(
    name: str, limit: int | None = None, seed: int = 0, folder: Path | None = None
) -> tuple[list[str], list[int]]:
    """SMILES and binary labels of MoleculeNet ``hiv``, ``bbbp`` or ``bace``.

    Args:
        name: dataset name.
        limit: keep a stratified random subsample of this many molecules.
        seed: seed of the subsample.
        folder: folder holding the CSVs (default: the registered ``molecules`` dataset).

    References:
        MoleculeNet, arXiv:1703.00564.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp()); _ = (d / "bace.csv").write_text("smiles,Class\\nCCO,1\\n")
        >>> load_molecules("bace", folder=d)
        (['CCO'], [1])
    """
    if name not in _FILES:
        raise UnknownName("molecule dataset", name, list(_FILES))
    file, smiles_col, label_col = _FILES[name]
    smiles, labels = load_molecule_csv((folder or MOLECULES.locate()) / file, smiles_col, label_col)
    return subsample(smiles, labels, limit, seed)


def subsample(
    smiles: list[str], labels: list[int], limit: int | None, seed: int = 0
) -> tuple[list[str], list[int]]:
    """A stratified random subsample of ``limit`` molecules (all of them when ``None``).

    Args:
        smiles: SMILES per molecule.
        labels: class per molecule.
        limit: how many to keep.
        seed: seed of the draw.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> subsample(["A", "B", "C", "D"], [0, 0, 1, 1], 2)[1]
        [0, 1]
    """
    if limit is None or limit >= len(smiles):
        return smiles, labels
    rng = np.random.default_rng(seed)
    y = np.asarray(labels)
    keep = []
    for cls in np.unique(y):
        idx = np.flatnonzero(y == cls)
        k = max(1, round(limit * len(idx) / len(y)))
        keep += rng.choice(idx, size=min(k, len(idx)), replace=False).tolist()
    keep.sort()
    return [smiles[i] for i in keep], [labels[i] for i in keep]
