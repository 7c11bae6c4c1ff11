"""L2R-GNN: learning to reweight graphs so that a GNN's representation variables decorrelate.

Components: :class:`L2RReweighter` (the inner problem: per-batch sample weights), the RFF /
HSIC-style cross-cluster dependence it minimises (``losses``), the Spurious-Motif generator
and MoleculeNet loaders with scaffold / size splits (``data``), ERM / L2R training and the
paper's experiments (``train``), ``rl graph l2r-gnn`` (``cli``) and the reproductions
``graph.l2r-gnn.spurious-motif`` and ``graph.l2r-gnn.molecules`` (``reproduction``).

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> from rl_graph.l2r_gnn import make_spurious_motif, measured_bias
    >>> round(measured_bias(make_spurious_motif(30, bias=0.5, seed=0)), 2)
    0.5
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "cluster_variables": "rl_graph.l2r_gnn.losses",
    "correlation_stability": "rl_graph.l2r_gnn.losses",
    "cross_cluster_dependence": "rl_graph.l2r_gnn.losses",
    "random_fourier_features": "rl_graph.l2r_gnn.losses",
    "L2RReweighter": "rl_graph.l2r_gnn.model",
    "featurise": "rl_graph.l2r_gnn.data",
    "load_graphs": "rl_graph.l2r_gnn.data",
    "load_molecule_csv": "rl_graph.l2r_gnn.data",
    "load_molecules": "rl_graph.l2r_gnn.data",
    "make_spurious_motif": "rl_graph.l2r_gnn.data",
    "measured_bias": "rl_graph.l2r_gnn.data",
    "murcko_scaffold": "rl_graph.l2r_gnn.data",
    "save_graphs": "rl_graph.l2r_gnn.data",
    "scaffold_split": "rl_graph.l2r_gnn.data",
    "size_split": "rl_graph.l2r_gnn.data",
    "load_gin": "rl_graph.l2r_gnn.train",
    "molecule_experiment": "rl_graph.l2r_gnn.train",
    "save_gin": "rl_graph.l2r_gnn.train",
    "spurious_motif_experiment": "rl_graph.l2r_gnn.train",
    "train": "rl_graph.l2r_gnn.train",
}

__all__ = sorted(_EXPORTS, key=str.lower)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
