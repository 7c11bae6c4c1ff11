"""Datasets rl-graph reads, registered under the entry-point group ``rl.datasets``.

MoleculeNet (L2R-GNN) and the MIMIC-III demo (VGNN); Spurious-Motif graphs and the synthetic
EHR set are generated in memory and need no files.

Example:
    >>> [d.name for d in DATASETS]
    ['moleculenet-classification', 'mimic-iii-demo']
"""

from __future__ import annotations

from rl_graph.l2r_gnn.molecules import MOLECULES
from rl_graph.vgnn.data import MIMIC_DEMO

__all__ = ["DATASETS"]

DATASETS = [MOLECULES, MIMIC_DEMO]
