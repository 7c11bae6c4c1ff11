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

from pathlib import Path

import numpy as np

from rl_shared.data import Dataset, github
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.io import finite_float, read_csv

__all__ = ["MOLECULES", "SPLITS", "read_smiles_csv", "resolve_csv"]

MOLECULENET_REGRESSION_SOURCE = github(
    "nguyen20171410/Chemical-Graph",
    "04dc87934ad908a73d6850b757a05872cf23c99f",
    """
    2027961 5a46fcade9c84cf716230f23a54080fe23c1d16105bee62872c69bbce43fe19e HIV.csv
    49753 f960b30af42aa31e3bd4d3df93aa029227fba2201f9f4214cf68a7b2ee1102ea esol.csv
    19071 a1554590234c75b12c221a51a7be0ea5b9b20b5be5a4499fce45dee946f6a1e1 freesolv.csv
    """,
    licence="not stated (repository: Apache-2.0)",
    citation=(
        "Wu et al. 2018, MoleculeNet: a benchmark for molecular machine learning (Chem. Sci. 9)"
    ),
)

MOLECULES = Dataset(
    name="moleculenet-regression",
    path="molecules",
    files=("HIV.csv", "esol.csv", "freesolv.csv"),
    description="MoleculeNet SMILES: HIV (unlabelled use), ESOL and FreeSolv (z-scored targets)",
    hint="put HIV.csv, esol.csv and freesolv.csv (MoleculeNet, SMILES + target) there",
    used_by=("chem.cmim",),
    source=MOLECULENET_REGRESSION_SOURCE,
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
    if not path.exists():
        raise BadInput(
            f"--data {data}: no such CSV file; give a CSV with a 'smiles' column or "
            f"{MOLECULES.name}:<{'|'.join(SPLITS)}>"
        )
    return path, None


def _parses(smiles: str) -> bool:
    from rdkit import Chem
    from rdkit.rdBase import BlockLogs

    with BlockLogs():
        return Chem.MolFromSmiles(smiles) is not None


def read_smiles_csv(data: str, target: str | None = None) -> tuple[list[str], np.ndarray | None]:
    """SMILES (and targets) of a CSV named by ``--data``, read strictly.

    Every row must have the header's number of fields and a non-empty SMILES; a target
    column, when there is one, must hold finite numbers. The SMILES of a user's file must
    parse with RDKit (the registered MoleculeNet files are taken as published: HIV has a few
    SMILES RDKit refuses, and the paper's protocol reads them as strings).

    Args:
        data: see :func:`resolve_csv`.
        target: target column; default the split's, else ``y`` or ``target`` when present.

    Returns:
        the SMILES strings and a float array of targets (``None`` when the file has none).

    Raises:
        MalformedFile: not UTF-8, empty, no ``smiles`` column, the target column missing, a
            row with too few or too many fields, an empty SMILES, a SMILES RDKit cannot
            parse, a target that is not a finite number, or no molecule at all (file:line).
        BadInput: nothing at the path.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
        >>> _ = p.write_text("smiles,y\\nCCO,1.5\\nC1CC,2\\n")
        >>> try:
        ...     read_smiles_csv(str(p))
        ... except MalformedFile as err:
        ...     print(err.line, err.problem)
        3 RDKit cannot parse the SMILES 'C1CC'
    """
    path, default = resolve_csv(data)
    user_file = data.partition(":")[0] != MOLECULES.name
    rows = read_csv(path)
    first = next(rows, None)
    if first is None:
        raise MalformedFile(path, None, "the file is empty")
    header_line, header = first
    fields = [h.strip() for h in header]
    lower = {f.lower(): i for i, f in enumerate(fields)}
    if "smiles" not in lower:
        raise MalformedFile(path, header_line, f"no 'smiles' column (columns: {', '.join(fields)})")
    smiles_at = lower["smiles"]
    column = target or default or next((c for c in ("y", "target") if c in lower), None)
    if column is not None and column.lower() not in lower:
        raise MalformedFile(
            path, header_line, f"no target column {column!r} (columns: {', '.join(fields)})"
        )
    target_at = lower[column.lower()] if column is not None else None
    smiles: list[str] = []
    values: list[float] = []
    for line, row in rows:
        if len(row) != len(fields):
            raise MalformedFile(path, line, f"has {len(row)} fields, the header has {len(fields)}")
        smi = row[smiles_at].strip()
        if not smi:
            raise MalformedFile(path, line, "the SMILES is empty")
        if target_at is not None:
            values.append(finite_float(row[target_at], path=path, line=line, field=str(column)))
        if user_file and not _parses(smi):
            raise MalformedFile(path, line, f"RDKit cannot parse the SMILES {smi!r}")
        smiles.append(smi)
    if not smiles:
        raise MalformedFile(path, None, "holds no molecule, only a header")
    return smiles, (np.array(values) if column is not None else None)
