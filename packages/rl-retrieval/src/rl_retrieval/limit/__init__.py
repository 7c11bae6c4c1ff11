"""LIMIT: the theoretical limits of single-vector embedding retrieval.

Modules: :mod:`~rl_retrieval.limit.free_embedding` (the free-embedding critical-n search),
:mod:`~rl_retrieval.limit.sign_rank` (sign-rank bounds on the dimension a qrel matrix needs),
:mod:`~rl_retrieval.limit.data` (LIMIT-style corpora of any size), ``cli.py``
(``rl retrieval limit ...``) and ``reproduction.py`` (``retrieval.limit.critical-n``,
``retrieval.limit.small``).

References:
    Weller, Boratko, Naim, Lee, "On the Theoretical Limitations of Embedding-Based
    Retrieval", arXiv:2508.21038.

Names are imported on first use: the free-embedding optimisation needs torch, the rest not.

Example:
    >>> from rl_retrieval.limit import critical_n, generate_limit
    >>> critical_n(2).n, len(generate_limit(docs=20, queries=3).corpus)
    (3, 20)
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "PAPER_CUBIC": "rl_retrieval.limit.free_embedding",
    "CriticalN": "rl_retrieval.limit.free_embedding",
    "critical_n": "rl_retrieval.limit.free_embedding",
    "critical_n_curve": "rl_retrieval.limit.free_embedding",
    "fit_cubic": "rl_retrieval.limit.free_embedding",
    "fit_free_embedding": "rl_retrieval.limit.free_embedding",
    "core_size": "rl_retrieval.limit.data",
    "generate_limit": "rl_retrieval.limit.data",
    "write_limit": "rl_retrieval.limit.data",
    "dimension_bounds": "rl_retrieval.limit.sign_rank",
    "forster_lower_bound": "rl_retrieval.limit.sign_rank",
    "qrel_matrix": "rl_retrieval.limit.sign_rank",
    "realizes_top_k": "rl_retrieval.limit.sign_rank",
}

__all__ = [
    "PAPER_CUBIC",
    "CriticalN",
    "core_size",
    "critical_n",
    "critical_n_curve",
    "dimension_bounds",
    "fit_cubic",
    "fit_free_embedding",
    "forster_lower_bound",
    "generate_limit",
    "qrel_matrix",
    "realizes_top_k",
    "write_limit",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
