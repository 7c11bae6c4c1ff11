"""Kasim & Vinko's learned-XC benchmark sets (PRL 127, 126403, 2021; arXiv:2102.04229).

:func:`load_xcnn` reads their YAML entries (atomization and ionization energies, systems in
Bohr with the basis each names); :func:`evaluate_xcnn` computes every entry with any
functional and compares it with the experimental ``true_val``. Command: ``rl chem xcnn
evaluate``; reproduction ``chem.xcnn``.

Example:
    >>> from rl_chem.xcnn import parse_cmd
    >>> parse_cmd("2 * energy(systems[1]) - energy(systems[0])")
    [(2.0, 1), (-1.0, 0)]
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "XCNN": "rl_chem.xcnn.data",
    "XCNN_SETS": "rl_chem.xcnn.data",
    "load_xcnn": "rl_chem.xcnn.data",
    "parse_cmd": "rl_chem.xcnn.data",
    "evaluate_xcnn": "rl_chem.xcnn.benchmark",
    "short_name": "rl_chem.xcnn.benchmark",
}
__all__ = [
    "XCNN",
    "XCNN_SETS",
    "evaluate_xcnn",
    "load_xcnn",
    "parse_cmd",
    "short_name",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
