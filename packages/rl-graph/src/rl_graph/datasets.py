"""Datasets rl-graph reads, registered under the entry-point group ``rl.datasets``.

Spurious-Motif and the synthetic EHR set are generated in memory and need no files.

Example:
    >>> [d.name for d in DATASETS]
    ['moleculenet-classification', 'mimic-iii-demo']
"""

from __future__ import annotations

from rl_graph.ehr import MIMIC_DEMO
from rl_graph.molecules import MOLECULES

__all__ = ["DATASETS"]

DATASETS = [MOLECULES, MIMIC_DEMO]
