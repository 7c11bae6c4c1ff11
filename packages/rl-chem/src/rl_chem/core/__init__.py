"""Chemistry the papers of rl-chem share.

Molecules and SCF runs (:mod:`~rl_chem.core.molecules`; every molecule is checked to be
physically possible by :mod:`~rl_chem.core.geometry` before PySCF sees it), torch
LDA/PBE/r2SCAN equal to libxc (:mod:`~rl_chem.core.functionals`), the PySCF ``NumInt`` that evaluates any torch
functional with autograd potentials and the ``RKS``/``UKS`` entry (:mod:`~rl_chem.core.numint`),
CCSD(T) reference atomization energies of G2 molecules (:mod:`~rl_chem.core.reference_data`)
and DFT atomization energies (:mod:`~rl_chem.core.atomization`).

Example:
    >>> from rl_chem.core import molecule_names
    >>> molecule_names("g2-tiny")[:2]
    ['H2', 'CH4']
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "LDA": "rl_chem.core.functionals",
    "PBE": "rl_chem.core.functionals",
    "R2SCAN": "rl_chem.core.functionals",
    "XCFunctional": "rl_chem.core.functionals",
    "SCFNotConverged": "rl_chem.core.molecules",
    "build_mol": "rl_chem.core.molecules",
    "resolve_xc": "rl_chem.core.molecules",
    "check_geometry": "rl_chem.core.geometry",
    "parse_geometry": "rl_chem.core.geometry",
    "from_ase": "rl_chem.core.molecules",
    "make_mf": "rl_chem.core.molecules",
    "run_scf": "rl_chem.core.molecules",
    "REFERENCE": "rl_chem.core.numint",
    "RKS": "rl_chem.core.numint",
    "UKS": "rl_chem.core.numint",
    "TorchNumInt": "rl_chem.core.numint",
    "get_functional": "rl_chem.core.numint",
    "HARTREE_TO_KCAL": "rl_chem.core.reference_data",
    "SETS": "rl_chem.core.reference_data",
    "ReferenceCache": "rl_chem.core.reference_data",
    "atomization_energies": "rl_chem.core.reference_data",
    "compute_reference": "rl_chem.core.reference_data",
    "molecule_names": "rl_chem.core.reference_data",
    "dft_atomization": "rl_chem.core.atomization",
    "errors_table": "rl_chem.core.atomization",
}
__all__ = [
    "HARTREE_TO_KCAL",
    "LDA",
    "PBE",
    "R2SCAN",
    "REFERENCE",
    "RKS",
    "SETS",
    "UKS",
    "ReferenceCache",
    "SCFNotConverged",
    "TorchNumInt",
    "XCFunctional",
    "atomization_energies",
    "build_mol",
    "check_geometry",
    "compute_reference",
    "dft_atomization",
    "errors_table",
    "from_ase",
    "get_functional",
    "make_mf",
    "molecule_names",
    "parse_geometry",
    "resolve_xc",
    "run_scf",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
