"""LIMIT: the theoretical limits of single-vector embedding retrieval.

References:
    Weller, Boratko, Naim, Lee, "On the Theoretical Limitations of Embedding-Based
    Retrieval", arXiv:2508.21038.
"""

from rl_retrieval.limit.free_embedding import (
    PAPER_CUBIC,
    CriticalN,
    critical_n,
    critical_n_curve,
    fit_cubic,
    fit_free_embedding,
)
from rl_retrieval.limit.generate import generate_limit
from rl_retrieval.limit.sign_rank import (
    dimension_bounds,
    forster_lower_bound,
    qrel_matrix,
    realizes_top_k,
)

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
