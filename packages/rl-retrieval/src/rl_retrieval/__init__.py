"""rl-retrieval: BEIR reference retrievers and their evaluation, and LIMIT's limits.

Paper folders: :mod:`rl_retrieval.beir` (Resources for Brewing BEIR, arXiv:2306.07471) and
:mod:`rl_retrieval.limit` (LIMIT, arXiv:2508.21038); what they share is in
:mod:`rl_retrieval.core`. The names below are the everyday ones, re-exported from ``core``.

Example:
    >>> from rl_retrieval import BM25Retriever, evaluate
    >>> corpus = {"d1": {"title": "", "text": "wings and lift"}, "d2": {"title": "", "text": "heat flux"}}
    >>> run = BM25Retriever().fit(corpus).search({"q1": "lift of wings"}, k=10)
    >>> evaluate({"q1": {"d1": 1}}, run, ["nDCG@10"])
    {'nDCG@10': 1.0}

Names are imported on first use, so ``import rl_retrieval`` (and the ``rl`` command listing
its plugins) does not load torch.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "BeirData": "rl_retrieval.core.beir_format",
    "load_beir": "rl_retrieval.core.beir_format",
    "write_beir": "rl_retrieval.core.beir_format",
    "BM25Retriever": "rl_retrieval.core.bm25",
    "DenseRetriever": "rl_retrieval.core.dense",
    "exact_topk": "rl_retrieval.core.dense",
    "faiss_topk": "rl_retrieval.core.dense",
    "reciprocal_rank_fusion": "rl_retrieval.core.fusion",
    "DEFAULT_MEASURES": "rl_retrieval.core.metrics",
    "evaluate": "rl_retrieval.core.metrics",
    "evaluate_per_query": "rl_retrieval.core.metrics",
    "read_trec_run": "rl_retrieval.core.run_format",
    "write_trec_run": "rl_retrieval.core.run_format",
    "convert_smart": "rl_retrieval.core.smart",
    "load_dataset": "rl_retrieval.core.datasets",
    "read_smart": "rl_retrieval.core.smart",
}

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MEASURES",
    "BM25Retriever",
    "BeirData",
    "DenseRetriever",
    "__version__",
    "convert_smart",
    "evaluate",
    "evaluate_per_query",
    "exact_topk",
    "faiss_topk",
    "load_beir",
    "load_dataset",
    "read_smart",
    "read_trec_run",
    "reciprocal_rank_fusion",
    "write_beir",
    "write_trec_run",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
