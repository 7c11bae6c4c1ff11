"""LIMIT: the theoretical limits of single-vector embedding retrieval.

References:
    Weller, Boratko, Naim, Lee, "On the Theoretical Limitations of Embedding-Based
    Retrieval", arXiv:2508.21038.

Names are imported on first use: the free-embedding optimisation needs torch, the rest not.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "PAPER_CUBIC": "rl_retrieval.limit.free_embedding",
    "CriticalN": "rl_retrieval.limit.free_embedding",
    "critical_n": "rl_retrieval.limit.free_embedding",
    "critical_n_curve": "rl_retrieval.limit.free_embedding",
    "fit_cubic": "rl_retrieval.limit.free_embedding",
    "fit_free_embedding": "rl_retrieval.limit.free_embedding",
    "generate_limit": "rl_retrieval.limit.generate",
    "dimension_bounds": "rl_retrieval.limit.sign_rank",
    "forster_lower_bound": "rl_retrieval.limit.sign_rank",
    "qrel_matrix": "rl_retrieval.limit.sign_rank",
    "realizes_top_k": "rl_retrieval.limit.sign_rank",
}

__all__ = [
    "PAPER_CUBIC",
    "CriticalN",
    "critical_n",
    "critical_n_curve",
    "dimension_bounds",
    "fit_cubic",
    "fit_free_embedding",
    "forster_lower_bound",
    "generate_limit",
    "qrel_matrix",
    "realizes_top_k",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
