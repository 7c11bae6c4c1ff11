"""MoleculeNet molecules for L2R-GNN: CSV loading, featurising, scaffold and size splits.

MoleculeNet HIV / BBBP / BACE SMILES are featurised by PyG's
:func:`torch_geometric.utils.from_smiles` (RDKit, the 9 OGB-style categorical atom
features); Bemis–Murcko scaffolds come from RDKit's ``MurckoScaffold``. The scaffold split
follows OGB / MoleculeNet: scaffold sets sorted by size (largest first, ties: later first
appearance first, as in DeepChem / OGB) fill train, then valid, then test, so no scaffold is
shared between splits. The size split trains on the smallest molecules and tests on the
largest. :func:`load_molecule_csv` reads a MoleculeNet CSV or one of your own.

torch, PyG and RDKit load inside the functions, so the dataset registry stays light.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Wu et al., MoleculeNet: A Benchmark for Molecular Machine Learning, arXiv:1703.00564.
    Hu et al., Open Graph Benchmark, arXiv:2005.00687.

Example:
    >>> mols = featurise(["CCO", "c1ccccc1O", "c1ccccc1N", "C1CC1C"], [0, 1, 1, 0])
    >>> [g.num_nodes for g in mols]
    [3, 7, 7, 4]
    >>> train, valid, test = scaffold_split([g.smiles for g in mols], (0.5, 0.25, 0.25))
    >>> sorted(train + valid + test)
    [0, 1, 2, 3]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rl_shared.data import Dataset, github
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.io import finite_float, read_csv

if TYPE_CHECKING:  # torch / PyG load inside the functions: the dataset registry stays light
    from torch_geometric.data import Data

__all__ = [
    "MOLECULES",
    "MOLECULE_SETS",
    "featurise",
    "load_molecule_csv",
    "load_molecules",
    "murcko_scaffold",
    "scaffold_split",
    "size_split",
    "subsample",
]

# name -> (file, smiles column, label column)
_FILES = {
    "hiv": ("HIV.csv", "smiles", "target"),
    "bbbp": ("BBBP.csv", "smiles", "target"),
    "bace": ("bace.csv", "smiles", "Class"),
}
#: the MoleculeNet sets :func:`load_molecules` reads
MOLECULE_SETS = tuple(sorted(_FILES))

MOLECULENET_CLASSIFICATION_SOURCE = github(
    "nguyen20171410/Chemical-Graph",
    "04dc87934ad908a73d6850b757a05872cf23c99f",
    """
    115347 7732de52e8d909eb5bd6d76df5a63bd0d229fc618c9fc42f3bdabc70c3b3bbcf BBBP.csv
    2027961 5a46fcade9c84cf716230f23a54080fe23c1d16105bee62872c69bbce43fe19e HIV.csv
    3872634 5657c4ed3e0cdd0ec0dfd1ed9ffe6955891a6d2f4bbd494b06af28ad123dc6e2 bace.csv
    """,
    licence="not stated (repository: Apache-2.0)",
    citation=(
        "Wu et al. 2018, MoleculeNet: a benchmark for molecular machine learning (Chem. Sci. 9)"
    ),
)

MOLECULES = Dataset(
    name="moleculenet-classification",
    path="molecules",
    files=("HIV.csv", "BBBP.csv", "bace.csv"),
    description="MoleculeNet HIV, BBBP, BACE (SMILES + binary label)",
    hint="put HIV.csv, BBBP.csv and bace.csv (MoleculeNet CSVs) there",
    used_by=("graph.l2r-gnn.molecules",),
    source=MOLECULENET_CLASSIFICATION_SOURCE,
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


def _parses(smiles: str) -> bool:
    from rdkit import Chem
    from rdkit.rdBase import BlockLogs

    with BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    return mol is not None and mol.GetNumAtoms() > 0


def load_molecule_csv(
    path: str | Path,
    smiles_col: str | None = None,
    label_col: str | None = None,
    check_smiles: bool = True,
) -> tuple[list[str], list[int]]:
    """SMILES and binary labels of a CSV file (a MoleculeNet file or one of your own), strictly.

    Every row must have the header's number of fields, a non-empty SMILES and a label of
    the binary task, 0 or 1 (``1.0`` is read as 1; ``0.7``, ``7`` or ``nan`` are refused).

    Args:
        path: the CSV.
        smiles_col: the SMILES column (default: ``smiles``, any case).
        label_col: the label column (default: the first of ``target``, ``Class``, ``label``,
            ``y``, ``p_np``, any case).
        check_smiles: every SMILES must parse with RDKit (the registered MoleculeNet files
            are read with ``False``: HIV has a few SMILES RDKit refuses, which
            :func:`featurise` skips as OGB does).

    Raises:
        MalformedFile: not UTF-8, empty, no such columns, a row with too few or too many
            fields, an empty or (with ``check_smiles``) unparsable SMILES, a label that is
            not 0 or 1, or no molecule at all; the file and line are named.
        BadInput: nothing exists at ``path``.

    References:
        Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

    Example:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "m.csv"; _ = f.write_text("SMILES,label\\nCCO,1\\n")
        >>> load_molecule_csv(f)
        (['CCO'], [1])
        >>> _ = f.write_text("smiles,label\\nCCO,1\\nCCN,7\\n")
        >>> try:
        ...     load_molecule_csv(f)
        ... except MalformedFile as err:
        ...     print(err.line, err.problem)
        3 label '7' is not 0 or 1 (the task is binary)
    """
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path} does not exist; --data takes a CSV of SMILES and labels")
    rows = read_csv(path)
    first = next(rows, None)
    if first is None:
        raise MalformedFile(path, None, "the file is empty")
    header_line, header = first
    lower = {h.strip().lower(): i for i, h in enumerate(header)}
    smiles_at = lower.get((smiles_col or "smiles").lower())
    label_at = (
        lower.get(label_col.lower())
        if label_col
        else next((lower[c] for c in ("target", "class", "label", "y", "p_np") if c in lower), None)
    )
    if smiles_at is None or label_at is None:
        want = f"{smiles_col or 'smiles'!r} and {label_col or 'target/Class/label'!r}"
        raise MalformedFile(path, header_line, f"header must have columns {want}")
    smiles, labels = [], []
    for line, row in rows:
        if len(row) != len(header):
            raise MalformedFile(path, line, f"has {len(row)} fields, the header has {len(header)}")
        value = finite_float(row[label_at], path=path, line=line, field="label")
        if value not in (0.0, 1.0):
            raise MalformedFile(
                path, line, f"label {row[label_at].strip()!r} is not 0 or 1 (the task is binary)"
            )
        smi = row[smiles_at].strip()
        if not smi:
            raise MalformedFile(path, line, "the SMILES is empty")
        if check_smiles and not _parses(smi):
            raise MalformedFile(path, line, f"RDKit cannot parse the SMILES {smi!r}")
        smiles.append(smi)
        labels.append(int(value))
    if not smiles:
        raise MalformedFile(path, None, "holds no molecule, only a header")
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
    smiles, labels = load_molecule_csv(
        (folder or MOLECULES.locate()) / file, smiles_col, label_col, check_smiles=False
    )
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
