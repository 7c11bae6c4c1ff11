"""rl-chem: torch exchange-correlation functionals (reference and neural) inside PySCF.

``rl_chem.RKS(mol, xc=...)`` / ``rl_chem.UKS`` return ordinary PySCF mean-field objects
whose XC energy comes from a torch module with autograd potentials; ``xc`` is "lda",
"pbe", "r2scan", a :class:`NeuralXC` or a saved model folder.

One subpackage per paper: :mod:`rl_chem.skala` (the Skala-style neural functional and its
training), :mod:`rl_chem.xcnn` (Kasim & Vinko's benchmark sets), :mod:`rl_chem.cmim`
(cMIM on SMILES); :mod:`rl_chem.core` holds the chemistry they share (molecules, the torch
``NumInt``, LDA/PBE/r2SCAN, reference energies, atomization).

Example:
    >>> import rl_chem
    >>> sorted(rl_chem.REFERENCE)
    ['lda', 'pbe', 'r2scan']

Names are imported on first use, so ``import rl_chem`` (and the ``rl`` command listing its
plugins) loads neither torch nor PySCF.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "LDA": "rl_chem.core.functionals",
    "PBE": "rl_chem.core.functionals",
    "R2SCAN": "rl_chem.core.functionals",
    "XCFunctional": "rl_chem.core.functionals",
    "SCFNotConverged": "rl_chem.core.molecules",
    "build_mol": "rl_chem.core.molecules",
    "run_scf": "rl_chem.core.molecules",
    "NeuralXC": "rl_chem.skala.model",
    "load_functional": "rl_chem.skala.model",
    "save_functional": "rl_chem.skala.model",
    "REFERENCE": "rl_chem.core.numint",
    "RKS": "rl_chem.core.numint",
    "UKS": "rl_chem.core.numint",
    "TorchNumInt": "rl_chem.core.numint",
    "get_functional": "rl_chem.core.numint",
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
