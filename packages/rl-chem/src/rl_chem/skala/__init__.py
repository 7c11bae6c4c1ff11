"""Skala-style neural exchange-correlation functional (Luise et al. 2025, arXiv:2506.14665).

:class:`NeuralXC` multiplies PBE (or r2SCAN) exchange and correlation by constrained,
learned enhancement factors; :func:`train_pipeline` fits it on fixed densities against
CCSD(T) atomization energies; the result runs self-consistently in PySCF through
``rl_chem.RKS(mol, xc=model_or_folder)``. Commands: ``rl chem skala train|evaluate``;
reproduction ``chem.skala``.

Example:
    >>> from rl_chem.skala import NeuralXC
    >>> NeuralXC(base="r2scan").name
    'neural-r2scan'
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "NeuralXC": "rl_chem.skala.model",
    "load_functional": "rl_chem.skala.model",
    "save_functional": "rl_chem.skala.model",
    "FixedDensity": "rl_chem.skala.train",
    "fixed_density": "rl_chem.skala.train",
    "split_molecules": "rl_chem.skala.train",
    "train_fixed": "rl_chem.skala.train",
    "train_pipeline": "rl_chem.skala.train",
}
__all__ = [
    "FixedDensity",
    "NeuralXC",
    "fixed_density",
    "load_functional",
    "save_functional",
    "split_molecules",
    "train_fixed",
    "train_pipeline",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
