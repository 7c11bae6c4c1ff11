"""VGNN: variationally regularised graph attention over the medical codes of an admission.

Components: :class:`VGNN` and its KL term (``model``), the MIMIC-III demo loader and a
synthetic EHR generator (``data``), training and evaluation (``train``), model folders and
scoring (``storage``), ``rl graph vgnn`` (``cli``) and the reproduction ``graph.vgnn``
(``reproduction``).

References:
    Zhu & Razavian, Variationally Regularized Graph-based Representation Learning for
    Electronic Health Records (VGNN), arXiv:1912.03761.

Example:
    >>> from rl_graph.vgnn import make_synthetic_ehr
    >>> len(make_synthetic_ehr(50, num_codes=20, seed=0))
    50
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "EHRData": "rl_graph.vgnn.data",
    "load_mimic_demo": "rl_graph.vgnn.data",
    "make_synthetic_ehr": "rl_graph.vgnn.data",
    "VGNN": "rl_graph.vgnn.model",
    "admission_graph": "rl_graph.vgnn.model",
    "effective_rank": "rl_graph.vgnn.model",
    "kl_standard_normal": "rl_graph.vgnn.model",
    "singular_values": "rl_graph.vgnn.model",
    "OutcomeModel": "rl_graph.vgnn.train",
    "ehr_experiment": "rl_graph.vgnn.train",
    "fit_vgnn": "rl_graph.vgnn.train",
    "predict_vgnn": "rl_graph.vgnn.train",
    "load_outcome_model": "rl_graph.vgnn.storage",
    "save_outcome_model": "rl_graph.vgnn.storage",
    "score_admissions": "rl_graph.vgnn.storage",
}

__all__ = sorted(_EXPORTS, key=str.lower)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
