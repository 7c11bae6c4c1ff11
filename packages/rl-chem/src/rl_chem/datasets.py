"""Datasets rl-chem reads, registered under the entry-point group ``rl.datasets``.

Example:
    >>> [d.name for d in DATASETS]
    ['xcnn', 'moleculenet-regression']
"""

from __future__ import annotations

from typing import Any

from rl_shared.data import Dataset

__all__ = ["DATASETS", "MOLECULES", "XCNN", "load_xcnn_ae"]

XCNN = Dataset(
    name="xcnn",
    path="dft/xcnn",
    files=("datagen/ae_gauss2.yaml", "test_dsets/ae_mols.yaml", "test_dsets/ie_atoms.yaml"),
    description="Kasim & Vinko 2021 learned-XC data sets (G2 atomization / ionization, YAML)",
    hint="copy the xcdnn2/**/*.yaml files of mfkasim1/xcnn there",
    used_by=("chem.xcnn",),
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
    """Atomization-energy entries of an xcnn YAML file (see :func:`rl_chem.xcnn_data.load_xcnn`).

    Each has ``name``, ``systems`` (coordinates in Bohr as in the file), ``terms`` and
    ``true_val`` (Hartree); malformed entries raise ``MalformedFile`` naming file and line.
    """
    from rl_chem.xcnn_data import load_xcnn

    return load_xcnn(file, types=("ae",))
