"""rl-retrieval: BEIR-style evaluation, BM25 and dense retrieval, and LIMIT's limits.

Example:
    >>> from rl_retrieval import BM25Retriever, evaluate
    >>> corpus = {"d1": {"title": "", "text": "wings and lift"}, "d2": {"title": "", "text": "heat flux"}}
    >>> run = BM25Retriever().fit(corpus).search({"q1": "lift of wings"}, k=10)
    >>> evaluate({"q1": {"d1": 1}}, run, ["nDCG@10"])
    {'nDCG@10': 1.0}
"""

from rl_retrieval.beir import BeirData, load_beir, write_beir
from rl_retrieval.bm25 import BM25Retriever
from rl_retrieval.dense import DenseRetriever, exact_topk, faiss_topk
from rl_retrieval.fusion import reciprocal_rank_fusion
from rl_retrieval.metrics import DEFAULT_MEASURES, evaluate, evaluate_per_query
from rl_retrieval.run_format import read_trec_run, write_trec_run
from rl_retrieval.smart import convert_smart, read_smart

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
