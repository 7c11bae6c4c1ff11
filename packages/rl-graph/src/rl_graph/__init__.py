"""rl-graph: out-of-distribution graph learning (L2R-GNN) and EHR concept graphs (VGNN) on PyG.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.
    Variationally Regularized Graph-based Representation Learning for Electronic Health
    Records (VGNN), arXiv:1912.03761.
    Discovering Invariant Rationales for Graph Neural Networks (DIR), arXiv:2201.12987.

Example:
    >>> from rl_graph import L2RReweighter, make_spurious_motif
    >>> round(measured_bias(make_spurious_motif(90, bias=0.7, seed=0)), 2)
    0.7
"""

from rl_graph.decorrelation import (
    cluster_variables,
    correlation_stability,
    cross_cluster_dependence,
    random_fourier_features,
)
from rl_graph.ehr import EHRData, load_mimic_demo, make_synthetic_ehr
from rl_graph.models import AtomEncoder, GINClassifier
from rl_graph.molecules import (
    featurise,
    load_molecules,
    murcko_scaffold,
    scaffold_split,
    size_split,
)
from rl_graph.reweighting import L2RReweighter
from rl_graph.spurious_motif import make_spurious_motif, measured_bias
from rl_graph.training import evaluate, predict, train
from rl_graph.vgnn import (
    VGNN,
    admission_graph,
    effective_rank,
    fit_vgnn,
    kl_standard_normal,
    predict_vgnn,
    singular_values,
)

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
