"""L2R-GNN: learning to reweight graphs so that a GNN's representation variables decorrelate.

Components: :class:`L2RReweighter` (the inner problem: per-batch sample weights), the RFF /
HSIC-style cross-cluster dependence it minimises (``losses``), the Spurious-Motif generator
(``motif``), MoleculeNet loaders with scaffold / size splits (``molecules``), ERM / L2R
training and model folders (``train``), the paper's experiments (``experiments``),
``rl graph l2r-gnn`` (``cli``) and the reproductions
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
    "featurise": "rl_graph.l2r_gnn.molecules",
    "load_molecule_csv": "rl_graph.l2r_gnn.molecules",
    "load_molecules": "rl_graph.l2r_gnn.molecules",
    "murcko_scaffold": "rl_graph.l2r_gnn.molecules",
    "scaffold_split": "rl_graph.l2r_gnn.molecules",
    "size_split": "rl_graph.l2r_gnn.molecules",
    "load_graphs": "rl_graph.l2r_gnn.motif",
    "make_spurious_motif": "rl_graph.l2r_gnn.motif",
    "measured_bias": "rl_graph.l2r_gnn.motif",
    "save_graphs": "rl_graph.l2r_gnn.motif",
    "molecule_experiment": "rl_graph.l2r_gnn.experiments",
    "spurious_motif_experiment": "rl_graph.l2r_gnn.experiments",
    "load_gin": "rl_graph.l2r_gnn.train",
    "save_gin": "rl_graph.l2r_gnn.train",
    "train": "rl_graph.l2r_gnn.train",
}

__all__ = sorted(_EXPORTS, key=str.lower)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
