"""rl-graph: out-of-distribution graph learning (L2R-GNN) and EHR concept graphs (VGNN) on PyG.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Variationally Regularized Graph-based Representation Learning for Electronic Health
    Records (VGNN), arXiv:1912.03761.
    Discovering Invariant Rationales for Graph Neural Networks (DIR), arXiv:2201.12987.

Names are imported on first use, so ``import rl_graph`` (and the ``rl`` command listing its
plugins) loads neither torch nor PyG.

Example:
    >>> from rl_graph import make_spurious_motif, measured_bias
    >>> round(measured_bias(make_spurious_motif(90, bias=0.7, seed=0)), 2)
    0.7
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "cluster_variables": "rl_graph.decorrelation",
    "correlation_stability": "rl_graph.decorrelation",
    "cross_cluster_dependence": "rl_graph.decorrelation",
    "random_fourier_features": "rl_graph.decorrelation",
    "EHRData": "rl_graph.ehr",
    "load_mimic_demo": "rl_graph.ehr",
    "make_synthetic_ehr": "rl_graph.ehr",
    "AtomEncoder": "rl_graph.models",
    "GINClassifier": "rl_graph.models",
    "featurise": "rl_graph.molecules",
    "load_molecules": "rl_graph.molecules",
    "murcko_scaffold": "rl_graph.molecules",
    "scaffold_split": "rl_graph.molecules",
    "size_split": "rl_graph.molecules",
    "L2RReweighter": "rl_graph.reweighting",
    "make_spurious_motif": "rl_graph.spurious_motif",
    "measured_bias": "rl_graph.spurious_motif",
    "evaluate": "rl_graph.training",
    "predict": "rl_graph.training",
    "train": "rl_graph.training",
    "VGNN": "rl_graph.vgnn",
    "admission_graph": "rl_graph.vgnn",
    "effective_rank": "rl_graph.vgnn",
    "fit_vgnn": "rl_graph.vgnn",
    "kl_standard_normal": "rl_graph.vgnn",
    "predict_vgnn": "rl_graph.vgnn",
    "singular_values": "rl_graph.vgnn",
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
