"""MoleculeNet SMILES CSVs: the unlabelled HIV molecules and the ESOL / FreeSolv targets.

``--data`` of ``rl chem cmim`` is a CSV file with a ``smiles`` column (and a numeric target
column for probing), or ``moleculenet-regression:<split>`` with split ``hiv``, ``esol`` or
``freesolv`` (the files of the registered dataset).

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv 2024. https://arxiv.org/abs/2411.10548
    Wu et al., "MoleculeNet: A Benchmark for Molecular Machine Learning", arXiv 2017 (the HIV, ESOL
    and FreeSolv sets). https://arxiv.org/abs/1703.00564

Example:
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
    >>> _ = p.write_text("smiles,y\\nCCO,1.5\\nc1ccccc1,-0.5\\n")
    >>> smiles, y = read_smiles_csv(str(p))
    >>> smiles, y.tolist()
    (['CCO', 'c1ccccc1'], [1.5, -0.5])
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from rl_shared.data import Dataset
from rl_shared.errors import BadInput, MalformedFile, UnknownName

__all__ = ["MOLECULES", "SPLITS", "read_smiles_csv", "resolve_csv"]

MOLECULES = Dataset(
    name="moleculenet-regression",
    path="molecules",
    files=("HIV.csv", "esol.csv", "freesolv.csv"),
    description="MoleculeNet SMILES: HIV (unlabelled use), ESOL and FreeSolv (z-scored targets)",
    hint="put HIV.csv, esol.csv and freesolv.csv (MoleculeNet, SMILES + target) there",
    used_by=("chem.cmim",),
)

#: split of ``moleculenet-regression`` -> (file, target column)
SPLITS: dict[str, tuple[str, str]] = {
    "hiv": ("HIV.csv", "target"),
    "esol": ("esol.csv", "y"),
    "freesolv": ("freesolv.csv", "target"),
}


def resolve_csv(data: str) -> tuple[Path, str | None]:
    """The CSV file of ``--data`` and its default target column (``None`` for a plain file).

    Args:
        data: a CSV path, or ``moleculenet-regression:<hiv|esol|freesolv>``.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
        >>> _ = p.write_text("smiles,y" + chr(10) + "CCO,1" + chr(10))
        >>> resolve_csv(str(p)) == (p, None)
        True
    """
    name, _, split = data.partition(":")
    if name == MOLECULES.name:
        split = split.lower() or "hiv"
        if split not in SPLITS:
            raise UnknownName(f"split of {MOLECULES.name}", split, list(SPLITS))
        file, column = SPLITS[split]
        return MOLECULES.locate() / file, column
    path = Path(data)
    if not path.is_file():
        raise BadInput(
            f"--data {data}: no such CSV file; give a CSV with a 'smiles' column or "
            f"{MOLECULES.name}:<{'|'.join(SPLITS)}>"
        )
    return path, None


def read_smiles_csv(data: str, target: str | None = None) -> tuple[list[str], np.ndarray | None]:
    """SMILES (and targets) of a CSV named by ``--data``.

    Args:
        data: see :func:`resolve_csv`.
        target: target column; default the split's, else ``y`` or ``target`` when present.

    Returns:
        the SMILES strings and a float array of targets (``None`` when the file has none).

    Raises:
        MalformedFile: no ``smiles`` column, or a target that is not a number (file:line).
    """
    path, default = resolve_csv(data)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        if "smiles" not in fields:
            raise MalformedFile(path, 1, f"no 'smiles' column (columns: {', '.join(fields)})")
        column = target or default or next((c for c in ("y", "target") if c in fields), None)
        if column is not None and column not in fields:
            raise MalformedFile(path, 1, f"no target column {column!r}")
        smiles, values = [], []
        for line, row in enumerate(reader, 2):
            smiles.append(row["smiles"].strip())
            if column is not None:
                try:
                    values.append(float(row[column]))
                except (TypeError, ValueError):
                    raise MalformedFile(
                        path, line, f"{column} {row[column]!r} is not a number"
                    ) from None
    return smiles, (np.array(values) if column is not None else None)
