"""What the rl-graph papers share: the GIN backbone, classifier evaluation, the dataset registry.

Example:
    >>> from rl_graph.core import GINClassifier
    >>> GINClassifier(1, hidden=8, num_classes=3).head.out_features
    3
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "ATOM_FEATURE_SIZES": "rl_graph.core.models",
    "AtomEncoder": "rl_graph.core.models",
    "GINClassifier": "rl_graph.core.models",
    "evaluate": "rl_graph.core.training",
    "predict": "rl_graph.core.training",
}

__all__ = ["ATOM_FEATURE_SIZES", "AtomEncoder", "GINClassifier", "evaluate", "predict"]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
