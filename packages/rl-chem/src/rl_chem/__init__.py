"""rl-chem: torch exchange-correlation functionals (reference and neural) inside PySCF.

``rl_chem.RKS(mol, xc=...)`` / ``rl_chem.UKS`` return ordinary PySCF mean-field objects
whose XC energy comes from a torch module with autograd potentials; ``xc`` is "lda",
"pbe", "r2scan", a :class:`NeuralXC` or a checkpoint folder.

Example:
    >>> import rl_chem
    >>> sorted(rl_chem.REFERENCE)
    ['lda', 'pbe', 'r2scan']
"""

from rl_chem.functionals import LDA, PBE, R2SCAN, XCFunctional
from rl_chem.molecules import SCFNotConverged, build_mol, run_scf
from rl_chem.neural import NeuralXC, load_functional, save_functional
from rl_chem.numint import REFERENCE, RKS, UKS, TorchNumInt, get_functional

__all__ = [
    "LDA",
    "PBE",
    "R2SCAN",
    "REFERENCE",
    "RKS",
    "UKS",
    "NeuralXC",
    "SCFNotConverged",
    "TorchNumInt",
    "XCFunctional",
    "build_mol",
    "get_functional",
    "load_functional",
    "run_scf",
    "save_functional",
]
__version__ = "0.1.0"
