"""rl-chem: torch exchange-correlation functionals (reference and neural) inside PySCF.

``rl_chem.RKS(mol, xc=...)`` / ``rl_chem.UKS`` return ordinary PySCF mean-field objects
whose XC energy comes from a torch module with autograd potentials; ``xc`` is "lda",
"pbe", "r2scan", a :class:`NeuralXC` or a checkpoint folder.

Example:
    >>> import rl_chem
    >>> sorted(rl_chem.REFERENCE)
    ['lda', 'pbe', 'r2scan']

Names are imported on first use, so ``import rl_chem`` (and the ``rl`` command listing its
plugins) loads neither torch nor PySCF.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "LDA": "rl_chem.functionals",
    "PBE": "rl_chem.functionals",
    "R2SCAN": "rl_chem.functionals",
    "XCFunctional": "rl_chem.functionals",
    "SCFNotConverged": "rl_chem.molecules",
    "build_mol": "rl_chem.molecules",
    "run_scf": "rl_chem.molecules",
    "NeuralXC": "rl_chem.neural",
    "load_functional": "rl_chem.neural",
    "save_functional": "rl_chem.neural",
    "REFERENCE": "rl_chem.numint",
    "RKS": "rl_chem.numint",
    "UKS": "rl_chem.numint",
    "TorchNumInt": "rl_chem.numint",
    "get_functional": "rl_chem.numint",
}

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
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
