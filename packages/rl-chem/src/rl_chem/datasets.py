"""Datasets rl-chem reads, registered under the entry-point group ``rl.datasets``.

Example:
    >>> [d.name for d in DATASETS]
    ['xcnn', 'moleculenet-regression']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rl_shared.data import Dataset
from rl_shared.errors import MalformedFile

__all__ = ["DATASETS", "MOLECULES", "XCNN", "load_xcnn_ae"]

XCNN = Dataset(
    name="xcnn",
    path="dft/xcnn",
    files=("datagen/ae_gauss2.yaml", "test_dsets/ae_mols.yaml"),
    description="Kasim & Vinko 2021 learned-XC data sets (G2 atomization / ionization, YAML)",
    hint="copy the xcdnn2/**/*.yaml files of mfkasim1/xcnn there",
    used_by=(),
)
MOLECULES = Dataset(
    name="moleculenet-regression",
    path="molecules",
    files=("HIV.csv", "esol.csv", "freesolv.csv"),
    description="MoleculeNet SMILES: HIV (unlabelled use), ESOL and FreeSolv (z-scored targets)",
    hint="put HIV.csv, esol.csv and freesolv.csv (MoleculeNet, SMILES + target) there",
    used_by=("chem.cmim",),
)

DATASETS = [XCNN, MOLECULES]


def load_xcnn_ae(file: str = "test_dsets/ae_mols.yaml") -> list[dict[str, Any]]:
    """Atomization-energy entries of an xcnn YAML file: ``{"name", "systems", "true_val"}``.

    Coordinates stay in Bohr as in the file; ``true_val`` is in Hartree.
    """
    import yaml

    path: Path = XCNN.locate() / file
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise MalformedFile(path, None if line is None else line + 1, str(err)) from None
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or "systems" not in e:
            raise MalformedFile(path, None, f"entry {i} has no 'systems'")
        if e.get("type") == "ae":
            out.append({"name": e.get("name", f"entry{i}"), "systems": e["systems"],
                        "true_val": e["true_val"]})  # fmt: skip
    return out
