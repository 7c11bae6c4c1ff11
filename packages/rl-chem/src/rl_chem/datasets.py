"""Datasets rl-chem reads, registered under the entry-point group ``rl.datasets``.

Each is defined in the paper folder that reads it: :data:`rl_chem.xcnn.data.XCNN` and
:data:`rl_chem.cmim.data.MOLECULES`.

Example:
    >>> [d.name for d in DATASETS]
    ['xcnn', 'moleculenet-regression']
"""

from __future__ import annotations

from rl_chem.cmim.data import MOLECULES
from rl_chem.xcnn.data import XCNN

__all__ = ["DATASETS", "MOLECULES", "XCNN"]

DATASETS = [XCNN, MOLECULES]
