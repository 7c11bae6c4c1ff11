"""rl-retrieval: BEIR-style evaluation, BM25 and dense retrieval, and LIMIT's limits.

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
    "BeirData": "rl_retrieval.beir",
    "load_beir": "rl_retrieval.beir",
    "write_beir": "rl_retrieval.beir",
    "BM25Retriever": "rl_retrieval.bm25",
    "DenseRetriever": "rl_retrieval.dense",
    "exact_topk": "rl_retrieval.dense",
    "faiss_topk": "rl_retrieval.dense",
    "reciprocal_rank_fusion": "rl_retrieval.fusion",
    "DEFAULT_MEASURES": "rl_retrieval.metrics",
    "evaluate": "rl_retrieval.metrics",
    "evaluate_per_query": "rl_retrieval.metrics",
    "read_trec_run": "rl_retrieval.run_format",
    "write_trec_run": "rl_retrieval.run_format",
    "convert_smart": "rl_retrieval.smart",
    "read_smart": "rl_retrieval.smart",
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
    "read_smart",
    "read_trec_run",
    "reciprocal_rank_fusion",
    "write_beir",
    "write_trec_run",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
