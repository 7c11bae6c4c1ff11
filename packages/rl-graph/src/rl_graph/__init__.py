"""rl-graph: out-of-distribution graph learning (L2R-GNN) and EHR concept graphs (VGNN) on PyG.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Variationally Regularized Graph-based Representation Learning for Electronic Health
    Records (VGNN), arXiv:1912.03761.
    Discovering Invariant Rationales for Graph Neural Networks (DIR), arXiv:2201.12987.

The papers live in ``rl_graph.l2r_gnn`` and ``rl_graph.vgnn``; what they share (the GIN
backbone, classifier evaluation, the dataset registry) in ``rl_graph.core``. Names are
imported on first use, so ``import rl_graph`` (and the ``rl`` command listing its
plugins) loads neither torch nor PyG.

Example:
    >>> from rl_graph import make_spurious_motif, measured_bias
    >>> round(measured_bias(make_spurious_motif(90, bias=0.7, seed=0)), 2)
    0.7
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "cluster_variables": "rl_graph.l2r_gnn.losses",
    "correlation_stability": "rl_graph.l2r_gnn.losses",
    "cross_cluster_dependence": "rl_graph.l2r_gnn.losses",
    "random_fourier_features": "rl_graph.l2r_gnn.losses",
    "EHRData": "rl_graph.vgnn.data",
    "load_mimic_demo": "rl_graph.vgnn.data",
    "make_synthetic_ehr": "rl_graph.vgnn.data",
    "AtomEncoder": "rl_graph.core.models",
    "GINClassifier": "rl_graph.core.models",
    "featurise": "rl_graph.l2r_gnn.molecules",
    "load_molecules": "rl_graph.l2r_gnn.molecules",
    "murcko_scaffold": "rl_graph.l2r_gnn.molecules",
    "scaffold_split": "rl_graph.l2r_gnn.molecules",
    "size_split": "rl_graph.l2r_gnn.molecules",
    "L2RReweighter": "rl_graph.l2r_gnn.model",
    "make_spurious_motif": "rl_graph.l2r_gnn.motif",
    "measured_bias": "rl_graph.l2r_gnn.motif",
    "evaluate": "rl_graph.core.training",
    "predict": "rl_graph.core.training",
    "train": "rl_graph.l2r_gnn.train",
    "VGNN": "rl_graph.vgnn.model",
    "admission_graph": "rl_graph.vgnn.model",
    "effective_rank": "rl_graph.vgnn.model",
    "fit_vgnn": "rl_graph.vgnn.train",
    "kl_standard_normal": "rl_graph.vgnn.model",
    "predict_vgnn": "rl_graph.vgnn.train",
    "singular_values": "rl_graph.vgnn.model",
}

__version__ = "0.1.0"

__all__ = [
    "VGNN",
    "AtomEncoder",
    "EHRData",
    "GINClassifier",
    "L2RReweighter",
    "admission_graph",
    "cluster_variables",
    "correlation_stability",
    "cross_cluster_dependence",
    "effective_rank",
    "evaluate",
    "featurise",
    "fit_vgnn",
    "kl_standard_normal",
    "load_mimic_demo",
    "load_molecules",
    "make_spurious_motif",
    "make_synthetic_ehr",
    "measured_bias",
    "murcko_scaffold",
    "predict",
    "predict_vgnn",
    "random_fourier_features",
    "scaffold_split",
    "singular_values",
    "size_split",
    "train",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
