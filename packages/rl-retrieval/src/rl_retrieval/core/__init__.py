"""What both papers of rl-retrieval share: BEIR-format data, metrics, BM25, dense retrieval, fusion.

The Brewing-BEIR folder (:mod:`rl_retrieval.beir`) evaluates reference retrievers with these
pieces and LIMIT (:mod:`rl_retrieval.limit`) runs BM25 and a dense model on its own corpora
with them. Modules:

- :mod:`~rl_retrieval.core.beir_format`: read and write BEIR folders (and LIMIT's ``qrels.jsonl``).
- :mod:`~rl_retrieval.core.datasets`: the registered datasets and ``--data`` resolution.
- :mod:`~rl_retrieval.core.metrics`: nDCG, recall, MAP, MRR through ir-measures / pytrec_eval.
- :mod:`~rl_retrieval.core.bm25`, :mod:`~rl_retrieval.core.dense`, :mod:`~rl_retrieval.core.fusion`:
  retrievers returning BEIR runs ``{qid: {doc_id: score}}``.
- :mod:`~rl_retrieval.core.run_format`: TREC run files.
- :mod:`~rl_retrieval.core.smart`: the SMART format of the classic test collections.
- :mod:`~rl_retrieval.core.sharded_encoding`: corpus encoding split over torch.distributed ranks.
- :mod:`~rl_retrieval.core.plots`: the grouped bar chart both papers' reproductions draw.

Names are imported on first use, so importing this package does not load torch.

Example:
    >>> from rl_retrieval.core import BM25Retriever, evaluate
    >>> corpus = {"d1": {"title": "", "text": "wing lift"}, "d2": {"title": "", "text": "heat"}}
    >>> evaluate({"q": {"d1": 1}}, BM25Retriever().fit(corpus).search({"q": "lift"}), ["RR@10"])
    {'RR@10': 1.0}
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "BeirData": "rl_retrieval.core.beir_format",
    "available_splits": "rl_retrieval.core.beir_format",
    "load_beir": "rl_retrieval.core.beir_format",
    "write_beir": "rl_retrieval.core.beir_format",
    "DATASETS": "rl_retrieval.core.datasets",
    "load_data": "rl_retrieval.core.datasets",
    "load_dataset": "rl_retrieval.core.datasets",
    "BM25Retriever": "rl_retrieval.core.bm25",
    "DenseRetriever": "rl_retrieval.core.dense",
    "exact_topk": "rl_retrieval.core.dense",
    "faiss_topk": "rl_retrieval.core.dense",
    "topk_to_run": "rl_retrieval.core.dense",
    "reciprocal_rank_fusion": "rl_retrieval.core.fusion",
    "DEFAULT_MEASURES": "rl_retrieval.core.metrics",
    "evaluate": "rl_retrieval.core.metrics",
    "evaluate_per_query": "rl_retrieval.core.metrics",
    "read_trec_run": "rl_retrieval.core.run_format",
    "write_trec_run": "rl_retrieval.core.run_format",
    "convert_smart": "rl_retrieval.core.smart",
    "read_smart": "rl_retrieval.core.smart",
    "encode_sharded": "rl_retrieval.core.sharded_encoding",
}

__all__ = [
    "DATASETS",
    "DEFAULT_MEASURES",
    "BM25Retriever",
    "BeirData",
    "DenseRetriever",
    "available_splits",
    "convert_smart",
    "encode_sharded",
    "evaluate",
    "evaluate_per_query",
    "exact_topk",
    "faiss_topk",
    "load_beir",
    "load_data",
    "load_dataset",
    "read_smart",
    "read_trec_run",
    "reciprocal_rank_fusion",
    "topk_to_run",
    "write_beir",
    "write_trec_run",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
